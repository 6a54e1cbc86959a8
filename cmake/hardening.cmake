# Hardened binaries, as Debian's `dpkg-buildflags` (DEB_BUILD_MAINT_OPTIONS=hardening=+all) would build them,
# for every target of the project (tests and tools too: one set of objects, one set of flags).
# .ci/package-test checks the packaged binaries with hardening-check (devscripts).
#
# GCC and Clang, ELF systems (Linux, the BSDs):
#   -fstack-protector-strong          stack canaries in functions with arrays or address-taken locals
#   -fstack-clash-protection          stack probes, so a large allocation cannot jump the guard page
#   -fcf-protection (x86)             Intel CET: indirect-branch and return tracking where the CPU has it
#   -D_FORTIFY_SOURCE=2               glibc's checked memcpy/sprintf/…; optimised builds only (it needs -O,
#                                     and warns without it); -U first, as some compilers predefine it
#   -pie (executables)                position-independent executables, so ASLR moves them too. Objects are
#                                     compiled -fPIC: Qt built with reduce-relocations (Debian's) requires
#                                     -fPIC and refuses -fPIE, and -fPIC objects link into a PIE
#   -z relro -z now                   full RELRO: relocations resolved at start (BIND_NOW), then the GOT is
#                                     made read-only
#   -z noexecstack                    a non-executable stack (the default, stated so no object can change it)
# macOS (Mach-O): executables are PIE and the stack non-executable by default, and there is no RELRO or
# BIND_NOW to ask for; the stack protector and _FORTIFY_SOURCE above apply.
# MSVC: /DYNAMICBASE (ASLR), /NXCOMPAT (DEP), /HIGHENTROPYVA (64-bit ASLR) and /GS (stack cookies) are the
# compiler's and linker's defaults; Control Flow Guard is not, so /guard:cf is added to both.
#
# Sanitizer and fuzzing builds (the asan and fuzz presets) turn this off: ASan intercepts the functions
# _FORTIFY_SOURCE would replace, and the two together check less than ASan alone.
option(TERTULIA_HARDENING "Harden binaries: PIE, full RELRO, BIND_NOW, stack protector, _FORTIFY_SOURCE=2" ON)
message(STATUS "Tertulia: hardening flags: ${TERTULIA_HARDENING}")
if(NOT TERTULIA_HARDENING)
    return()
endif()

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    include(CheckCXXCompilerFlag)
    add_compile_options(-fstack-protector-strong
        "$<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-U_FORTIFY_SOURCE;-D_FORTIFY_SOURCE=2>")
    check_cxx_compiler_flag(-fstack-clash-protection TERTULIA_HAVE_STACK_CLASH_PROTECTION)
    if(TERTULIA_HAVE_STACK_CLASH_PROTECTION)
        add_compile_options(-fstack-clash-protection)
    endif()
    if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64|i[3-6]86)$")
        check_cxx_compiler_flag(-fcf-protection TERTULIA_HAVE_CF_PROTECTION)
        if(TERTULIA_HAVE_CF_PROTECTION)
            add_compile_options(-fcf-protection)
        endif()
    endif()
    if(NOT APPLE AND NOT WIN32)
        add_link_options(-Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack
                         "$<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:-pie>")
    endif()
elseif(MSVC)
    add_compile_options(/guard:cf)
    add_link_options(/guard:cf)
endif()
