/* The version of imapi2-open as a string. IMAPI2_VERSION comes from the
 * Makefile (-DIMAPI2_VERSION=0.1), which takes it from configure.ac's AC_INIT:
 * the one place it is defined. The DLL's VERSIONINFO uses the same. */
#ifndef IMAPI2_PROGRAM_VERSION_H
#define IMAPI2_PROGRAM_VERSION_H

#ifndef IMAPI2_VERSION
#error "IMAPI2_VERSION is not defined: build with the Makefile (configure.ac's AC_INIT sets it)"
#endif
#define IMAPI2_VERSION_STR2(x) #x
#define IMAPI2_VERSION_STR(x) IMAPI2_VERSION_STR2(x)
#define IMAPI2_VERSION_STRING IMAPI2_VERSION_STR(IMAPI2_VERSION)

#endif
