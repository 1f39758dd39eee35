# The MPI end-to-end test (tests/e2e/test_mpi.sh, added by e2e.cmake) exits
# 77 where mpirun or bo's MPI support is missing: ctest shows it skipped.
if(TEST e2e_test_mpi)
  set_tests_properties(e2e_test_mpi PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 400)
  if(TARGET test_plugin_hostile)
    add_dependencies(bo_cli test_plugin_hostile)
  endif()
endif()
