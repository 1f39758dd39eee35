# install.cmake — what `cmake --install BUILD --prefix P` puts under P, for
# users of the `bo` command, of libbo, and for plugin authors:
#   bin/bo, lib/libbo.so*, include/bo/{bo.h,objective.h},
#   lib/pkgconfig/bo.pc, lib/cmake/bo/{boConfig,boConfigVersion,boTargets}.cmake
# The stock objectives install themselves (objectives/CMakeLists.txt) into
# lib/bo/objectives, where the installed `bo` looks for them (paths.c), and
# gpu/ installs libbo_nn_cuda.so. Every installed path is relative to the
# prefix, so an install can be moved: nothing here may bake in an absolute
# path of the build machine, but for one: libbo_nn_cuda.so's RUNPATH to the
# CUDA toolkit's libraries (/usr/local/cuda is in no loader path), which
# only the GPU path needs.
include(CMakePackageConfigHelpers)

set(BO_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/bo)

if(TARGET bo_cli)
  # The command links the static archive: no RPATH to libbo is needed, but
  # one to any dependency outside the system folders (OpenMPI's) is kept.
  set_target_properties(bo_cli PROPERTIES INSTALL_RPATH_USE_LINK_PATH TRUE)
  install(TARGETS bo_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# bo::objective: the plugin ABI header only. A plugin needs no -lbo.
add_library(bo_objective_abi INTERFACE)
target_include_directories(bo_objective_abi INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
set_target_properties(bo_objective_abi PROPERTIES EXPORT_NAME objective)

install(TARGETS bo bo_objective_abi EXPORT boTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/bo/bo.h
              ${PROJECT_SOURCE_DIR}/include/bo/objective.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/bo)
install(EXPORT boTargets NAMESPACE bo:: DESTINATION ${BO_CMAKE_DIR})

configure_package_config_file(${CMAKE_CURRENT_SOURCE_DIR}/boConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/boConfig.cmake
  INSTALL_DESTINATION ${BO_CMAKE_DIR}
  PATH_VARS BO_OBJECTIVES_SUBDIR CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/boConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/boConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/boConfigVersion.cmake
        DESTINATION ${BO_CMAKE_DIR})

# bo.pc locates the prefix from its own folder (${pcfiledir}), so it stays
# right whatever --prefix or DESTDIR the install is given.
file(RELATIVE_PATH BO_PC_TO_PREFIX
     /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" BO_PC_TO_PREFIX "${BO_PC_TO_PREFIX}")
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/bo.pc.in
               ${CMAKE_CURRENT_BINARY_DIR}/bo.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/bo.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
