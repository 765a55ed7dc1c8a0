# cmake -DOUT=file.c -DINPUTS="name1=path1|name2=path2" -P embed.cmake
# Writes file.c defining `const char name[]` with each file's bytes and a NUL,
# so the installed program needs no template folder.
set(text "/* generated from the templates at build time: do not edit */\n")
string(REPLACE "|" ";" inputs "${INPUTS}")
foreach(pair IN LISTS inputs)
  string(REGEX MATCH "^([^=]+)=(.*)$" _ "${pair}")
  set(name "${CMAKE_MATCH_1}")
  set(path "${CMAKE_MATCH_2}")
  file(READ "${path}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND text "const char ${name}[] = {${bytes}0x00};\n")
endforeach()
file(WRITE "${OUT}.new" "${text}")
configure_file("${OUT}.new" "${OUT}" COPYONLY)
file(REMOVE "${OUT}.new")
