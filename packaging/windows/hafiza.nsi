; Hafiza's Windows installer: per user, no administrator rights (installs under
; %LOCALAPPDATA%\Programs\Hafiza, shortcuts in the user's Start menu and desktop, an entry in
; "Apps & features" under HKCU). Pages in English, Arabic or Persian.
;
; Built by the release workflow on Windows, after `python packaging/build.py`:
;     makensis /DBUNDLE=dist\hafiza /DVERSION=0.1.0 /DOUTFILE=dist\Hafiza-0.1.0-setup.exe packaging\windows\hafiza.nsi
; On Linux, `make installer-check` compiles it against the Linux bundle's layout (GUI_EXE=hafiza)
; to prove the script sound; that installer is thrown away.

Unicode true
!include "MUI2.nsh"

!ifndef BUNDLE
  !define BUNDLE "..\..\dist\hafiza"
!endif
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\Hafiza-${VERSION}-setup.exe"
!endif
!ifndef GUI_EXE
  !define GUI_EXE "Hafiza.exe"   ; opens no console window (packaging/hafiza.spec)
!endif
!ifndef ICON
  !define ICON "..\..\hafiza\icon.ico"
!endif
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Hafiza"

Name "Hafiza"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\Hafiza"
InstallDirRegKey HKCU "Software\Hafiza" "InstallDir"
SetCompressor /SOLID lzma
ManifestDPIAware true

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Arabic"
!insertmacro MUI_LANGUAGE "Farsi"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "Hafiza"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "Hafiza installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "MIT License, the Hafiza authors"

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "Hafiza" SecMain
  SectionIn RO
  SetShellVarContext current
  ; A reinstall replaces the program, never the learner's progress (that lives in
  ; %LOCALAPPDATA%\Hafiza, outside the install folder).
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*.*"
  File "/oname=hafiza.ico" "${ICON}"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  CreateShortcut "$SMPROGRAMS\Hafiza.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\hafiza.ico"
  CreateShortcut "$DESKTOP\Hafiza.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\hafiza.ico"

  WriteRegStr HKCU "Software\Hafiza" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "Hafiza"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "The Hafiza authors"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\hafiza.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\Hafiza.lnk"
  Delete "$DESKTOP\Hafiza.lnk"
  ; The program folder only: the learner's progress and settings stay.
  RMDir /r "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\Hafiza"
SectionEnd
