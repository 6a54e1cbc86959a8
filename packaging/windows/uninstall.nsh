  ; Inserted into CPack's NSIS uninstall section: undo what install.nsh did.
  ; makensis runs with -WX; CPack's template defines un.select_NT_profile and never calls it (warning 6010,
  ; reported at the end of the script): that one warning is not ours to fix.
  !pragma warning disable 6010
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="Tertulia" program="$INSTDIR\bin\tertulia.exe"'
  Pop $0
  DeleteRegKey SHCTX "Software\Classes\tertulia"
