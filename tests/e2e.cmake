# End-to-end tests: shell scripts that drive the real `bo` binary.
file(GLOB BO_E2E_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/e2e/test_*.sh)
foreach(script ${BO_E2E_TESTS})
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME e2e_${name} COMMAND bash ${script})
  set_tests_properties(e2e_${name} PROPERTIES
    ENVIRONMENT "BO=${CMAKE_BINARY_DIR}/${CMAKE_INSTALL_BINDIR}/bo;BO_SOURCE_DIR=${PROJECT_SOURCE_DIR};BO_BUILD_DIR=${CMAKE_BINARY_DIR};OPENBLAS_NUM_THREADS=1"
    TIMEOUT 300)
endforeach()
