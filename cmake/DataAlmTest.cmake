# add_dataalm_test(NAME name SOURCES files... LIBS targets... LABELS labels... [TIMEOUT s])
# One Qt Test executable per class. Test data paths reach the code through compile
# definitions (DATAALM_TEST_DATA_DIR, DATAALM_CLI_PATH, ...), never through the
# working directory.
function(add_dataalm_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
  target_compile_definitions(${T_NAME} PRIVATE
    DATAALM_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
    DATAALM_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    DATAALM_CLI_PATH="$<TARGET_FILE:dataalm>")
  add_dependencies(${T_NAME} dataalm)
  if(T_NAME MATCHES "^tst_keychain" OR T_NAME STREQUAL "tst_sensitivedatarefresh")
    # The OS keychain of a desktop: a D-Bus session with a GNOME Keyring of the test's own.
    add_test(NAME ${T_NAME} COMMAND ${PROJECT_SOURCE_DIR}/tests/support/with-keyring $<TARGET_FILE:${T_NAME}>)
  else()
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES
    LABELS "${T_LABELS}"
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;DATAALM_STATE_DIR=${CMAKE_BINARY_DIR}/test-state/${T_NAME}")
  # A skipped test is a failed test: QtTest exits 0 after a QSKIP, so ctest would count
  # it as passed. Benchmarks too: a missing baseline fails them.
  set_tests_properties(${T_NAME} PROPERTIES
    FAIL_REGULAR_EXPRESSION "SKIP   : ;, [1-9][0-9]* skipped,")
endfunction()
