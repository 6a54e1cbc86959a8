# CPack settings for every package (included by packaging/CMakeLists.txt). docs/packaging.md says how each is
# built and verified.
if(NOT TERTULIA_ROOT)
    set(TERTULIA_ROOT ${PROJECT_SOURCE_DIR})
endif()
set(CPACK_PACKAGE_NAME tertulia)
set(CPACK_PACKAGE_VENDOR "The Tertulia authors")
set(CPACK_PACKAGE_CONTACT "Tertulia maintainers <maintainers@tertulia.example.org>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_HOMEPAGE_URL ${PROJECT_HOMEPAGE_URL})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Real-time chat for your own network or a server you trust")
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_LIST_DIR}/cpack-generators.cmake)
set(CPACK_PACKAGE_INSTALL_DIRECTORY Tertulia)
set(CPACK_PACKAGE_EXECUTABLES tertulia Tertulia)
set(CPACK_PACKAGE_ICON ${TERTULIA_ROOT}/resources/icons/tertulia.ico)
# MIT. NSIS shows it as the installer's licence page; the .deb and .rpm carry it in their copyright file and
# License: field instead, and the macOS disk image has none (below).
set(CPACK_RESOURCE_FILE_LICENSE ${TERTULIA_ROOT}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_OUTPUT_FILE_PREFIX ${PROJECT_BINARY_DIR}/packages)
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_COMPONENTS_ALL server)
if(TERTULIA_HAS_APP)
    list(APPEND CPACK_COMPONENTS_ALL app)
endif()
set(CPACK_COMPONENT_APP_DISPLAY_NAME "Tertulia (desktop app)")
set(CPACK_COMPONENT_APP_DESCRIPTION "The desktop app: sign in to a server, or host a chat on this computer.")
set(CPACK_COMPONENT_SERVER_DISPLAY_NAME "Tertulia server")
set(CPACK_COMPONENT_SERVER_DESCRIPTION "tertulia-server, the standalone server for an always-on machine.")

if(UNIX AND NOT APPLE)
    set(CPACK_GENERATOR DEB RPM)
    set(CPACK_PACKAGING_INSTALL_PREFIX /usr)

    # ---- Debian: one .deb per component, dependencies from dpkg-shlibdeps plus what is dlopen'd ----
    set(CPACK_DEB_COMPONENT_INSTALL ON)
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_SECTION net)
    set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
    set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
    set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
    set(CPACK_DEBIAN_APP_PACKAGE_NAME tertulia)
    set(CPACK_DEBIAN_SERVER_PACKAGE_NAME tertulia-server)
    # Qt's plugins are loaded at run time, so dpkg-shlibdeps cannot see them: the SQLite driver (both), the
    # platform plugins (the app) and the TLS backend (libqt6network6 carries it; OpenSSL 3 behind it).
    set(CPACK_DEBIAN_APP_PACKAGE_DEPENDS "libqt6sql6-sqlite, qt6-qpa-plugins, libssl3")
    set(CPACK_DEBIAN_APP_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager | keepassxc, qt6-translations-l10n")
    set(CPACK_DEBIAN_APP_PACKAGE_SECTION net)
    set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "libqt6sql6-sqlite, libssl3")
    set(CPACK_DEBIAN_SERVER_PACKAGE_SUGGESTS "libqt6sql6-psql")
    set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
    # The extended descriptions (the first line is the synopsis; lintian wants more than that).
    set(CPACK_DEBIAN_APP_DESCRIPTION "chat with the people around you, or on a server you trust
Tertulia is a real-time chat for a home, an office or a club. This is the
desktop app: sign in to a Tertulia server, or host a chat in one click. The
hosted chat runs inside the app, encrypted with a certificate the app makes,
and other copies of the app on the same network find it by themselves.

Messages acknowledged by the server are never lost; sign-in tokens go to the
system keychain. English and Spanish.")
    set(CPACK_DEBIAN_SERVER_DESCRIPTION "server for the Tertulia chat
Tertulia is a real-time chat for a home, an office or a club. This is the
standalone server: the account API, the native WebSocket protocol and
Socket.IO for browsers on one port, with SQLite or PostgreSQL storage.

It ships as a hardened systemd service (Type=notify with a watchdog, a
dynamic user, a private state directory); it is not started until enabled
with: systemctl enable --now tertulia-server")
    # /etc/tertulia/tertulia-server.json is the administrator's: dpkg keeps their changes on upgrade.
    file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/deb-server/conffiles "/etc/tertulia/tertulia-server.json\n")
    configure_file(${pkg}/debian/tertulia-server.postinst ${CMAKE_CURRENT_BINARY_DIR}/deb-server/postinst COPYONLY)
    configure_file(${pkg}/debian/tertulia-server.prerm ${CMAKE_CURRENT_BINARY_DIR}/deb-server/prerm COPYONLY)
    configure_file(${pkg}/debian/tertulia-server.postrm ${CMAKE_CURRENT_BINARY_DIR}/deb-server/postrm COPYONLY)
    set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
        ${CMAKE_CURRENT_BINARY_DIR}/deb-server/conffiles ${CMAKE_CURRENT_BINARY_DIR}/deb-server/postinst
        ${CMAKE_CURRENT_BINARY_DIR}/deb-server/prerm ${CMAKE_CURRENT_BINARY_DIR}/deb-server/postrm)

    # ---- RPM: the same two packages; dependencies from rpm's own scan plus the dlopen'd plugins ----
    set(CPACK_RPM_COMPONENT_INSTALL ON)
    set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
    set(CPACK_RPM_PACKAGE_LICENSE "MIT")
    set(CPACK_RPM_PACKAGE_GROUP "Applications/Internet")
    set(CPACK_RPM_PACKAGE_URL ${PROJECT_HOMEPAGE_URL})
    set(CPACK_RPM_PACKAGE_AUTOREQ ON)
    set(CPACK_RPM_PACKAGE_RELOCATABLE OFF)
    set(CPACK_RPM_APP_PACKAGE_NAME tertulia)
    set(CPACK_RPM_SERVER_PACKAGE_NAME tertulia-server)
    set(CPACK_RPM_APP_PACKAGE_SUMMARY "Chat with the people around you, or on a server you trust")
    set(CPACK_RPM_SERVER_PACKAGE_SUMMARY "Server for the Tertulia chat")
    set(CPACK_RPM_APP_PACKAGE_DESCRIPTION "Tertulia is a real-time chat for a home, an office or a club.
This is the desktop app: sign in to a Tertulia server, or host a chat
in one click.")
    set(CPACK_RPM_SERVER_PACKAGE_DESCRIPTION "Tertulia is a real-time chat for a home, an office or a club.
This is the standalone server, shipped as a hardened systemd service.")
    set(CPACK_RPM_SPEC_MORE_DEFINE "%define packager ${CPACK_PACKAGE_CONTACT}")
    # Fedora's names for the dlopen'd Qt plugins (the SQLite driver is in qt6-qtbase, the platform plugins
    # in qt6-qtbase-gui).
    set(CPACK_RPM_APP_PACKAGE_REQUIRES "qt6-qtbase-gui")
    set(CPACK_RPM_SERVER_PACKAGE_REQUIRES "qt6-qtbase")
    set(CPACK_RPM_SERVER_USER_FILELIST "%config(noreplace) /etc/tertulia/tertulia-server.json")
    set(CPACK_RPM_SERVER_POST_INSTALL_SCRIPT_FILE ${pkg}/rpm/tertulia-server.post)
    set(CPACK_RPM_SERVER_PRE_UNINSTALL_SCRIPT_FILE ${pkg}/rpm/tertulia-server.preun)
    # Directories every system owns already: not claimed by these packages.
    set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
        /etc /usr/lib/systemd /usr/lib/systemd/system /usr/share/applications /usr/share/metainfo
        /usr/share/icons /usr/share/icons/hicolor /usr/share/man /usr/share/man/man1 /usr/share/doc)
    foreach(size 16 24 32 48 64 128 256)
        list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
             /usr/share/icons/hicolor/${size}x${size} /usr/share/icons/hicolor/${size}x${size}/apps)
    endforeach()
    list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
         /usr/share/icons/hicolor/scalable /usr/share/icons/hicolor/scalable/apps)
endif()

# ---- Windows: NSIS ----
# Compiled on Linux too (packaging/windows/nsis-check: these settings, placeholder executables, makensis
# with warnings as errors) so the script is checked on every change; the real installer is made on Windows,
# where windeployqt fills the payload.
set(CPACK_NSIS_PACKAGE_NAME Tertulia)
set(CPACK_NSIS_DISPLAY_NAME Tertulia)
set(CPACK_NSIS_MUI_ICON ${TERTULIA_ROOT}/resources/icons/tertulia.ico)
set(CPACK_NSIS_MUI_UNIICON ${TERTULIA_ROOT}/resources/icons/tertulia.ico)
set(CPACK_NSIS_INSTALLED_ICON_NAME bin\\\\tertulia.exe)
set(CPACK_NSIS_URL_INFO_ABOUT ${PROJECT_HOMEPAGE_URL})
set(CPACK_NSIS_CONTACT ${CPACK_PACKAGE_CONTACT})
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MODIFY_PATH OFF)
set(CPACK_NSIS_EXECUTABLES_DIRECTORY bin)
set(CPACK_NSIS_MUI_FINISHPAGE_RUN tertulia.exe)
# Warnings are errors (windows/uninstall.nsh turns off the one CPack's own template raises).
set(CPACK_NSIS_EXECUTABLE_PRE_ARGUMENTS -WX)
# Backslashes and quotes escaped: CPack writes these into CPackConfig.cmake as they are, and reads them back
# as CMake.
file(READ ${pkg}/windows/install.nsh CPACK_NSIS_EXTRA_INSTALL_COMMANDS)
file(READ ${pkg}/windows/uninstall.nsh CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS)
string(REPLACE "\\" "\\\\" CPACK_NSIS_EXTRA_INSTALL_COMMANDS "${CPACK_NSIS_EXTRA_INSTALL_COMMANDS}")
string(REPLACE "\\" "\\\\" CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "${CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS}")
string(REPLACE "\"" "\\\"" CPACK_NSIS_EXTRA_INSTALL_COMMANDS "${CPACK_NSIS_EXTRA_INSTALL_COMMANDS}")
string(REPLACE "\"" "\\\"" CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "${CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS}")
# Signing (docs/packaging.md): CI signs bin\*.exe before CPack and the installer after it (signtool, or
# osslsigncode elsewhere); CPack has no hook of its own for it in 3.25.

# ---- macOS: the app bundle in a disk image ----
if(APPLE)
    set(CPACK_GENERATOR DragNDrop)
    set(CPACK_DMG_VOLUME_NAME Tertulia)
    set(CPACK_DMG_FORMAT UDZO)
    # No licence agreement on opening the image: CPack's would need the deprecated Rez resources, and the
    # licence asks for no acceptance. LICENSE and the third-party notices travel inside the bundle.
    set(CPACK_DMG_SLA_USE_RESOURCE_FILE_LICENSE OFF)
endif()

include(CPack)
