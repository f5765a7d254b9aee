! nnswift_compute_local and nnswift_compute_extrapolations through the Fortran module: the
! c_int32_t / c_int64_t kinds of the interfaces, outputs written into NaN-filled arrays, and the
! same energy, forces and extrapolation count as nnswift_compute(_extrapolations) for a water
! molecule given as 3 owned atoms without ghosts; the same through a library-built host list
! (nnswift_neighbor_list_build/rows/free).
!   fortran_local MODEL_DIR    (prints "ok - ..." / "not ok - ..." lines; exit 1 on a failure)
program fortran_local
  use, intrinsic :: iso_c_binding
  use, intrinsic :: ieee_arithmetic, only: ieee_value, ieee_quiet_nan, ieee_is_nan
  use nnswift
  use nnswift_checks
  implicit none
  type(c_ptr) :: model
  character(len=4096) :: path
  real(c_double) :: x(3, 3), e_local, e_whole, f_local(3, 3), f_whole(3, 3), ae(3), w(3, 3), nan
  integer(c_int32_t) :: species(3)
  integer(c_int64_t) :: n_local, n_whole
  type(c_ptr) :: list, num_ptr, first_ptr
  integer(c_int32_t) :: ncenters
  integer(c_int32_t), pointer :: numneigh(:)
  type(c_ptr), pointer :: firstneigh(:)
  real(c_double) :: e_list, f_list(3, 3)

  call get_command_argument(1, path)
  if (nnswift_load(path, model) /= NNSWIFT_OK) then
    print '(2a)', 'not ok - load: ', nnswift_error_message()
    stop 1
  end if
  ! one water molecule in Bohr (the model's length unit)
  x = reshape([0.0d0, 0.0d0, 0.2217d0, 0.0d0, 1.4309d0, -0.8867d0, 0.0d0, -1.4309d0, -0.8867d0], [3, 3])
  species = [int(nnswift_species_index(model, 'O'), c_int32_t), int(nnswift_species_index(model, 'H'), c_int32_t), &
             int(nnswift_species_index(model, 'H'), c_int32_t)]
  nan = ieee_value(nan, ieee_quiet_nan)
  f_local = nan; ae = nan; w = nan
  n_local = -huge(n_local)
  call check(nnswift_compute_local(model, 3_c_int32_t, 0_c_int32_t, x, species, energy=e_local, forces=f_local, &
                                   virial=w, atom_energies=ae, extrapolations=n_local) == NNSWIFT_OK, &
             'compute_local (3 owned atoms, no ghosts)')
  call check(.not. any(ieee_is_nan(f_local)) .and. .not. any(ieee_is_nan(ae)) .and. .not. any(ieee_is_nan(w)), &
             'compute_local writes forces, atom energies and virial into NaN-filled arrays')
  call check(nnswift_compute_extrapolations(model, 3_c_int32_t, x, species, energy=e_whole, forces=f_whole, &
                                            extrapolations=n_whole) == NNSWIFT_OK, 'compute_extrapolations')
  call check(abs(e_local - e_whole) <= 1d-12 * abs(e_whole) .and. maxval(abs(f_local - f_whole)) <= 1d-12 * maxval(abs(f_whole)), &
             'compute_local = compute_extrapolations (energy, forces) to 1e-12')
  call check(abs(sum(ae) - e_local) <= 1d-12 * abs(e_local), 'atom energies sum to the energy')
  call check(n_local == n_whole .and. n_local >= 0, 'int64 extrapolation counts agree')
  ! radius 13 Bohr: the model's 12 Bohr cutoff plus a skin
  call check(nnswift_neighbor_list_build(3_c_int32_t, 3_c_int32_t, x, 13.0d0, list) == NNSWIFT_OK, 'neighbor_list_build')
  call check(nnswift_neighbor_list_rows(list, ncenters, num_ptr, first_ptr) == NNSWIFT_OK .and. ncenters == 3, &
             'neighbor_list_rows (3 centers)')
  call c_f_pointer(num_ptr, numneigh, [3])
  call c_f_pointer(first_ptr, firstneigh, [3])
  call check(all(numneigh == 2), 'each atom of the molecule lists the other two')
  call check(nnswift_compute_local(model, 3_c_int32_t, 0_c_int32_t, x, species, numneigh, firstneigh, energy=e_list, &
                                   forces=f_list) == NNSWIFT_OK, 'compute_local with the library-built list')
  call check(abs(e_list - e_local) <= 1d-12 * abs(e_local) .and. maxval(abs(f_list - f_local)) <= 1d-12 * maxval(abs(f_local)), &
             'compute_local with the library-built list = without a list (energy, forces) to 1e-12')
  call nnswift_neighbor_list_free(list)
  call nnswift_model_free(model)
  call finish()
end program
