# What goes along with the Windows installer and the macOS disk image, which ship Qt and the other
# libraries themselves (docs/packaging.md, "Licences"): Tertulia's LICENSE (MIT), the third-party notices and
# the licence texts they name (Qt's LGPL-3.0 with the GPL-3.0 it builds on, libqrencode's LGPL-2.1, OpenSSL's
# Apache-2.0). Included by packaging/CMakeLists.txt on Windows and macOS, and by packaging/windows/nsis-check
# so the installer checked here carries the same files. The Linux packages depend on the distribution's
# libraries instead: their copyright file (packaging/debian/copyright) covers what they ship.
# Needs pkg (packaging/).
if(NOT TERTULIA_ROOT)
    set(TERTULIA_ROOT ${PROJECT_SOURCE_DIR})
endif()
set(tertulia_licence_files
    ${TERTULIA_ROOT}/LICENSE
    ${pkg}/licenses/THIRD-PARTY-NOTICES.txt
    ${pkg}/licenses/LGPL-3.0.txt
    ${pkg}/licenses/GPL-3.0.txt
    ${pkg}/licenses/LGPL-2.1.txt
    ${pkg}/licenses/Apache-2.0.txt)
if(APPLE)
    # Inside the bundle, where Qt's frameworks are; the server's next to it.
    install(FILES ${tertulia_licence_files} DESTINATION tertulia.app/Contents/Resources/licenses COMPONENT app)
    install(FILES ${tertulia_licence_files} DESTINATION licenses COMPONENT server)
else()
    # One folder for both components (the same files): C:\Program Files\Tertulia\licenses.
    foreach(component app server)
        install(FILES ${tertulia_licence_files} DESTINATION licenses COMPONENT ${component})
    endforeach()
endif()
