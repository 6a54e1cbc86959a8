  ; Inserted into CPack's NSIS install section (packaging/cpack.cmake).
  ; Windows Firewall: the app hosts chats on every interface; allow it on private and domain networks
  ; (never public ones), so Windows does not stop the first host with its own question.
  nsExec::ExecToLog 'netsh advfirewall firewall add rule name="Tertulia" dir=in action=allow program="$INSTDIR\bin\tertulia.exe" enable=yes profile=private,domain'
  Pop $0
  ; tertulia:// links (tertulia://host:port/room) open the app, which hands them to a running window.
  WriteRegStr SHCTX "Software\Classes\tertulia" "" "URL:Tertulia link"
  WriteRegStr SHCTX "Software\Classes\tertulia" "URL Protocol" ""
  WriteRegStr SHCTX "Software\Classes\tertulia\DefaultIcon" "" "$INSTDIR\bin\tertulia.exe,0"
  WriteRegStr SHCTX "Software\Classes\tertulia\shell\open\command" "" '"$INSTDIR\bin\tertulia.exe" "%1"'
