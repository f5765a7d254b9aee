! Energy and forces of a structure through the nnswift Fortran binding (module nnswift).
!
!   water_energy MODEL [STRUCTURE.xyz]
!
! MODEL is an n2p2 potential directory or a native .json model. STRUCTURE.xyz is a simple XYZ
! file (atom count, comment line, "Element x y z" lines, in the model's length unit); a comment
! line with Lattice="ax ay az bx by bz cx cy cz" makes it periodic. Without a structure file a
! single water molecule is built in code. Prints the energy and the force on every atom with 17
! significant digits. Build: see examples/README.md.
program water_energy
  use, intrinsic :: iso_c_binding
  use nnswift
  implicit none

  type(c_ptr) :: model
  character(len=4096) :: model_path, xyz_path, comment, line
  character(len=:), allocatable :: length_unit, energy_unit
  character(len=8), allocatable :: symbols(:)
  real(c_double), allocatable :: positions(:, :), forces(:, :)
  integer(c_int32_t), allocatable :: species(:)
  real(c_double) :: cell(3, 3), energy, virial(3, 3), scale
  integer :: natoms, i, k, k2, ios, unit, nargs
  logical :: periodic

  nargs = command_argument_count()
  if (nargs < 1 .or. nargs > 2) then
    write (*, '(a)') 'usage: water_energy MODEL [STRUCTURE.xyz]'
    stop 2
  end if
  call get_command_argument(1, model_path)

  if (nnswift_load(model_path, model) /= NNSWIFT_OK) then
    write (*, '(2a)') 'water_energy: cannot load the model: ', nnswift_error_message()
    stop 1
  end if
  if (nnswift_units(model, length_unit, energy_unit) /= NNSWIFT_OK) stop 1
  write (*, '(5a)', advance='no') 'nnswift ', nnswift_version_string(), ', model ', trim(model_path), ': '
  write (*, '(i0,a)', advance='no') nnswift_num_elements(model), ' elements ('
  do k = 0, nnswift_num_elements(model) - 1
    if (k > 0) write (*, '(a)', advance='no') ' '
    write (*, '(a)', advance='no') nnswift_element_symbol(model, k)
  end do
  write (*, '(a,g0,4a)') '), cutoff ', nnswift_cutoff(model), ' ', length_unit, ', energy unit ', energy_unit

  periodic = .false.
  cell = 0
  if (nargs == 2) then
    call get_command_argument(2, xyz_path)
    open (newunit=unit, file=trim(xyz_path), status='old', action='read', iostat=ios)
    if (ios /= 0) then
      write (*, '(2a)') 'water_energy: cannot open ', trim(xyz_path)
      stop 2
    end if
    read (unit, *, iostat=ios) natoms
    if (ios /= 0 .or. natoms <= 0) then
      write (*, '(2a)') 'water_energy: first line is not an atom count: ', trim(xyz_path)
      stop 2
    end if
    read (unit, '(a)') comment
    k = index(comment, 'Lattice="')
    if (k > 0) then
      k2 = index(comment(k + 9:), '"')
      if (k2 > 1) then
        read (comment(k + 9:k + 7 + k2), *, iostat=ios) cell
        periodic = ios == 0
      end if
    end if
    allocate (symbols(natoms), positions(3, natoms))
    do i = 1, natoms
      read (unit, '(a)', iostat=ios) line
      if (ios == 0) read (line, *, iostat=ios) symbols(i), positions(:, i)
      if (ios /= 0) then
        write (*, '(a,i0)') 'water_energy: cannot read atom ', i
        stop 2
      end if
    end do
    close (unit)
  else
    ! One water molecule (O-H 0.9572 Angstrom, H-O-H 104.52 degrees), in the model's length unit
    ! (the factor from the library's one unit table); in Bohr when the model declares no units.
    if (length_unit == 'unknown') length_unit = 'bohr'
    if (nnswift_factor('angstrom', length_unit, scale) /= NNSWIFT_OK) then
      write (*, '(a)') 'water_energy: unknown length unit ' // trim(length_unit)
      stop 2
    end if
    natoms = 3
    allocate (symbols(3), positions(3, 3))
    symbols = [character(len=8) :: 'O', 'H', 'H']
    positions = scale * reshape([0.0_c_double, 0.0_c_double, 0.1173_c_double, &
                                 0.0_c_double, 0.7572_c_double, -0.4692_c_double, &
                                 0.0_c_double, -0.7572_c_double, -0.4692_c_double], [3, 3])
  end if

  allocate (species(natoms), forces(3, natoms))
  do i = 1, natoms
    species(i) = nnswift_species_index(model, symbols(i))
    if (species(i) < 0) then
      write (*, '(3a)') 'water_energy: element ', trim(symbols(i)), ' is not in the model'
      stop 1
    end if
  end do

  if (periodic) then
    k = nnswift_compute(model, natoms, positions, species, cell=cell, energy=energy, forces=forces, virial=virial)
  else
    k = nnswift_compute(model, natoms, positions, species, energy=energy, forces=forces, virial=virial)
  end if
  if (k /= NNSWIFT_OK) then
    write (*, '(2a)') 'water_energy: nnswift_compute: ', nnswift_error_message()
    stop 1
  end if

  write (*, '(a,i0,2a)') 'atoms: ', natoms, '  periodic: ', merge('yes', 'no ', periodic)
  write (*, '(a,es25.16e3)') 'energy: ', energy
  write (*, '(a)') 'forces:'
  do i = 1, natoms
    write (*, '(i5,1x,a3,3es25.16e3)') i, symbols(i), forces(:, i)
  end do
  write (*, '(a,6es25.16e3)') 'virial: ', virial(1, 1), virial(2, 2), virial(3, 3), virial(3, 2), virial(3, 1), virial(2, 1)

  call nnswift_model_free(model)
end program water_energy
