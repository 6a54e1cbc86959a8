# Appends one package's licence to the combined licence file of the bundled browser client.
# cmake -DOUT=<file> -DPACKAGE=<name> -DFILE=<LICENSE> -P appendlicence.cmake
file(READ "${FILE}" text)
file(APPEND "${OUT}" "==== ${PACKAGE} (npm package, bundled in socket.io.min.js) ====\n\n${text}\n\n")
