# GPU tests (tests/unit/test_gpu_*.c, made executables by tests/CMakeLists.txt):
# they link the trainer's core and, where gpu/ was built, the kernels'
# static library, know where libbo_nn_cuda.so is, and print "SKIPPED: no
# CUDA device" (exit 0) where the machine has none.
file(GLOB BO_GPU_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_gpu_*.c)
foreach(src ${BO_GPU_TESTS})
  get_filename_component(name ${src} NAME_WE)
  target_link_libraries(${name} PRIVATE bo_nn_core)
  if(TARGET bo_gpu_kernels)
    target_link_libraries(${name} PRIVATE bo_gpu_kernels stdc++)
    target_compile_definitions(${name} PRIVATE BO_HAVE_CUDA=1
      BO_NN_CUDA_LIB_PATH="$<TARGET_FILE:bo_nn_cuda>")
    # C objects linked by the C driver (the kernels need no device link);
    # CMake would otherwise pick nvcc, which rejects the sanitizer flags.
    set_target_properties(${name} PROPERTIES LINKER_LANGUAGE C)
    add_dependencies(${name} bo_nn_cuda)
  endif()
endforeach()

# The GPU benchmark (tests/bench/bench_gpu.sh drives it); never built by
# default, never run by ctest.
if(TARGET bo_gpu_kernels AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_gpu.c)
  add_executable(bench_gpu EXCLUDE_FROM_ALL ${CMAKE_CURRENT_SOURCE_DIR}/bench/bench_gpu.c)
  target_link_libraries(bench_gpu PRIVATE bo_nn_core bo_gpu_kernels stdc++)
  target_compile_definitions(bench_gpu PRIVATE BO_NN_CUDA_LIB_PATH="$<TARGET_FILE:bo_nn_cuda>")
  set_target_properties(bench_gpu PROPERTIES LINKER_LANGUAGE C
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_dependencies(bench_gpu bo_nn_cuda)
endif()
