! The Fortran bindings of the unit functions: nnswift_factor, nnswift_load_with_units,
! nnswift_compute_extrapolations. Prints "ok - ..." / "not ok - ..." lines (tests/fortran/checks.f90);
! exit status 1 on any failure.
!   units_check_f WATER_N2P2_DIR
program units_check_f
  use nnswift
  use nnswift_checks
  implicit none
  character(len=4096) :: dir
  type(c_ptr) :: model
  character(len=:), allocatable :: length, energy
  real(c_double) :: f, e
  real(c_double) :: x(9) = [0d0, 0d0, 0.22d0, 0d0, 1.43d0, -0.89d0, 0d0, -1.43d0, -0.89d0]
  integer(c_int) :: sp(3)
  integer(c_int64_t) :: nx

  call get_command_argument(1, dir)
  call check(nnswift_factor("Å", "Bohr", f) == NNSWIFT_OK .and. f == 1.8897261328d0, "factor(Å, Bohr) = 1.8897261328")
  call check(nnswift_factor("eV", "bohr", f) == NNSWIFT_ERROR_ARGUMENT, "factor(eV, bohr) refused")
  call check(nnswift_load_with_units(dir, "furlong", "", model) == NNSWIFT_ERROR_ARGUMENT, "load_with_units(furlong) refused")
  call check(nnswift_load_with_units(dir, "Bohr", "Ha", model) == NNSWIFT_OK, "load_with_units(Bohr, Ha)")
  call check(nnswift_units(model, length, energy) == NNSWIFT_OK .and. length == "bohr" .and. energy == "hartree", &
             "units read back as bohr, hartree")
  sp = [nnswift_species_index(model, "O"), nnswift_species_index(model, "H"), nnswift_species_index(model, "H")]
  nx = -1
  call check(nnswift_compute_extrapolations(model, 3, x, sp, energy=e, extrapolations=nx) == NNSWIFT_OK &
             .and. nx >= 0 .and. e < 0, "compute_extrapolations: energy and a count")
  call nnswift_model_free(model)
  call finish()
end program
