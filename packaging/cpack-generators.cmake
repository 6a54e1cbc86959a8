# CPACK_PROJECT_CONFIG_FILE: runs inside cpack once per generator (packaging/cpack.cmake).
if(CPACK_GENERATOR STREQUAL "DEB")
    # CPackDeb puts the common summary in front of a component's description unless the summary is CPack's
    # default; each .deb has its own synopsis (the first line of CPACK_DEBIAN_<COMPONENT>_DESCRIPTION).
    set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CPACK_DEFAULT_PACKAGE_DESCRIPTION_SUMMARY}")
endif()
