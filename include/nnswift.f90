! nnswift Fortran binding: interfaces to every function of nnswift.h (module nnswift) plus
! Fortran-friendly wrappers that take and return Fortran strings.
!
!   use nnswift
!   type(c_ptr) :: model
!   if (nnswift_load(path, model) /= NNSWIFT_OK) print *, nnswift_error_message()
!   status = nnswift_compute(model, natoms, positions, species, energy=e, forces=f)
!
! Conventions are those of the C API: the library writes every output (never adds into it);
! counts, indices, species and flags are integer(c_int32_t), extrapolation counts
! integer(c_int64_t), statuses integer(c_int). Positions(3, natoms) and forces(3, natoms) in Fortran order
! are the row-major C arrays positions[3*i + a]; cell(3, 3) holds the lattice vectors a, b, c as
! its columns (cell(:, 1) = a); virial(3, 3) holds W_ab = sum_i r_ia F_ib at virial(b, a) (W is
! symmetric for these potentials, so the order rarely matters). Species are 0-based indices into
! the model's element list. Optional C pointer arguments are OPTIONAL dummies: leave them out to
! pass NULL (requires Fortran 2018 / TS 29113 support for OPTIONAL in BIND(C), gfortran >= 4.9).
! Compile: gfortran -c nnswift.f90  (or use the nnswift.mod installed next to this file).
module nnswift
  use, intrinsic :: iso_c_binding
  implicit none

  ! NNSWIFT_ABI_VERSION of nnswift.h (Fortran names are case-insensitive, so it cannot share the
  ! name of the function nnswift_abi_version).
  integer(c_int), parameter :: NNSWIFT_BINDING_ABI_VERSION = 2
  integer(c_int), parameter :: NNSWIFT_OK = 0
  integer(c_int), parameter :: NNSWIFT_ERROR_ARGUMENT = 1
  integer(c_int), parameter :: NNSWIFT_ERROR_IO = 2
  integer(c_int), parameter :: NNSWIFT_ERROR_FORMAT = 3
  integer(c_int), parameter :: NNSWIFT_ERROR_SPECIES = 4
  integer(c_int), parameter :: NNSWIFT_ERROR_GEOMETRY = 5
  integer(c_int), parameter :: NNSWIFT_ERROR_INTERNAL = 6
  integer(c_int), parameter :: NNSWIFT_ERROR_NUMERIC = 7

  interface
    ! const char *nnswift_version(void)
    function nnswift_version() bind(c, name="nnswift_version") result(p)
      import :: c_ptr
      type(c_ptr) :: p
    end function

    ! int nnswift_abi_version(void)
    function nnswift_abi_version() bind(c, name="nnswift_abi_version") result(v)
      import :: c_int
      integer(c_int) :: v
    end function

    ! const char *nnswift_last_error(void)   (see nnswift_error_message for a Fortran string)
    function nnswift_last_error() bind(c, name="nnswift_last_error") result(p)
      import :: c_ptr
      type(c_ptr) :: p
    end function

    ! int nnswift_model_load(const char *path, nnswift_model **model)
    ! path must end with c_null_char (see nnswift_load for a Fortran string).
    function nnswift_model_load(path, model) bind(c, name="nnswift_model_load") result(status)
      import :: c_char, c_ptr, c_int
      character(kind=c_char), intent(in) :: path(*)
      type(c_ptr), intent(out) :: model
      integer(c_int) :: status
    end function

    ! void nnswift_model_free(nnswift_model *model)
    subroutine nnswift_model_free(model) bind(c, name="nnswift_model_free")
      import :: c_ptr
      type(c_ptr), value :: model
    end subroutine

    ! int nnswift_model_cutoff(const nnswift_model *model, double *cutoff)
    function nnswift_model_cutoff(model, cutoff) bind(c, name="nnswift_model_cutoff") result(status)
      import :: c_ptr, c_double, c_int
      type(c_ptr), value :: model
      real(c_double), intent(out) :: cutoff
      integer(c_int) :: status
    end function

    ! int nnswift_model_num_elements(const nnswift_model *model, int *count)
    function nnswift_model_num_elements(model, count) bind(c, name="nnswift_model_num_elements") result(status)
      import :: c_ptr, c_int, c_int32_t
      type(c_ptr), value :: model
      integer(c_int32_t), intent(out) :: count
      integer(c_int) :: status
    end function

    ! int nnswift_model_element(const nnswift_model *model, int index, const char **symbol)
    function nnswift_model_element(model, index, symbol) bind(c, name="nnswift_model_element") result(status)
      import :: c_ptr, c_int, c_int32_t
      type(c_ptr), value :: model
      integer(c_int32_t), value :: index
      type(c_ptr), intent(out) :: symbol
      integer(c_int) :: status
    end function

    ! int nnswift_model_element_index(const nnswift_model *model, const char *symbol, int *index)
    function nnswift_model_element_index(model, symbol, index) bind(c, name="nnswift_model_element_index") &
        result(status)
      import :: c_ptr, c_char, c_int, c_int32_t
      type(c_ptr), value :: model
      character(kind=c_char), intent(in) :: symbol(*)
      integer(c_int32_t), intent(out) :: index
      integer(c_int) :: status
    end function

    ! int nnswift_model_units(const nnswift_model *model, const char **length, const char **energy)
    function nnswift_model_units(model, length, energy) bind(c, name="nnswift_model_units") result(status)
      import :: c_ptr, c_int
      type(c_ptr), value :: model
      type(c_ptr), intent(out) :: length, energy
      integer(c_int) :: status
    end function

    ! int nnswift_compute(model, natoms, positions, species, cell, pbc,
    !                     energy, forces, virial, atom_energies, atom_virials)
    ! Omitted optional arguments are passed as NULL. A lattice vector may be zero along an
    ! axis whose pbc is 0 (ASE's 2D cells); it is then taken as a unit normal vector.
    ! nnswift_compute_extrapolations (next) takes the same arguments plus the extrapolation
    ! count: Fortran cannot share dummy declarations between two interface bodies (an abstract
    ! interface fixes the whole argument list), so keep the two blocks identical but for it.
    function nnswift_compute(model, natoms, positions, species, cell, pbc, &
                             energy, forces, virial, atom_energies, atom_virials) &
        bind(c, name="nnswift_compute") result(status)
      import :: c_ptr, c_int, c_int32_t, c_double
      type(c_ptr), value :: model
      integer(c_int32_t), value :: natoms
      real(c_double), intent(in) :: positions(*)
      integer(c_int32_t), intent(in) :: species(*)
      real(c_double), intent(in), optional :: cell(*)
      integer(c_int32_t), intent(in), optional :: pbc(*)
      real(c_double), intent(out) :: energy
      real(c_double), intent(out), optional :: forces(*), virial(*), atom_energies(*), atom_virials(*)
      integer(c_int) :: status
    end function

    ! int nnswift_compute_extrapolations(model, natoms, positions, species, cell, pbc, energy,
    !     forces, virial, atom_energies, atom_virials, extrapolations)
    ! nnswift_compute plus the number of (atom, symmetry function) values outside the training range.
    function nnswift_compute_extrapolations(model, natoms, positions, species, cell, pbc, &
                                            energy, forces, virial, atom_energies, atom_virials, extrapolations) &
        bind(c, name="nnswift_compute_extrapolations") result(status)
      import :: c_ptr, c_int, c_int32_t, c_double, c_int64_t
      type(c_ptr), value :: model
      integer(c_int32_t), value :: natoms
      real(c_double), intent(in) :: positions(*)
      integer(c_int32_t), intent(in) :: species(*)
      real(c_double), intent(in), optional :: cell(*)
      integer(c_int32_t), intent(in), optional :: pbc(*)
      real(c_double), intent(out) :: energy
      real(c_double), intent(out), optional :: forces(*), virial(*), atom_energies(*), atom_virials(*)
      integer(c_int64_t), intent(out) :: extrapolations
      integer(c_int) :: status
    end function

    ! int nnswift_compute_local(model, nlocal, nghost, positions, species, numneigh, firstneigh,
    !                           energy, forces, virial, atom_energies, atom_virials, extrapolations)
    ! Every output is written (ABI 2; they were added to before). firstneigh(i) = c_loc of the
    ! 0-based neighbor index array (integer(c_int32_t)) of owned atom i; give both numneigh and
    ! firstneigh or neither; a neighbor listed twice for one atom is an error.
    function nnswift_compute_local(model, nlocal, nghost, positions, species, numneigh, firstneigh, &
                                   energy, forces, virial, atom_energies, atom_virials, extrapolations) &
        bind(c, name="nnswift_compute_local") result(status)
      import :: c_ptr, c_int, c_int32_t, c_int64_t, c_double
      type(c_ptr), value :: model
      integer(c_int32_t), value :: nlocal, nghost
      real(c_double), intent(in) :: positions(*)
      integer(c_int32_t), intent(in) :: species(*)
      integer(c_int32_t), intent(in), optional :: numneigh(*)
      type(c_ptr), intent(in), optional :: firstneigh(*)
      real(c_double), intent(out) :: energy
      real(c_double), intent(out), optional :: forces(*), virial(*), atom_energies(*), atom_virials(*)
      integer(c_int64_t), intent(out), optional :: extrapolations
      integer(c_int) :: status
    end function

    ! int nnswift_model_load_with_units(const char *path, const char *length_unit,
    !                                  const char *energy_unit, nnswift_model **model)
    ! Units for an n2p2 directory (which declares none); "" leaves a unit as declared; a native
    ! model that declares a different unit is an error. See nnswift_load_with_units.
    function nnswift_model_load_with_units(path, length_unit, energy_unit, model) &
        bind(c, name="nnswift_model_load_with_units") result(status)
      import :: c_char, c_ptr, c_int
      character(kind=c_char), intent(in) :: path(*), length_unit(*), energy_unit(*)
      type(c_ptr), intent(out) :: model
      integer(c_int) :: status
    end function

    ! int nnswift_unit_factor(const char *from_unit, const char *to_unit, double *factor)
    ! value in to_unit = value in from_unit * factor (both length or both energy units).
    function nnswift_unit_factor(from_unit, to_unit, factor) bind(c, name="nnswift_unit_factor") result(status)
      import :: c_char, c_double, c_int
      character(kind=c_char), intent(in) :: from_unit(*), to_unit(*)
      real(c_double), intent(out) :: factor
      integer(c_int) :: status
    end function

    ! int nnswift_set_num_threads(int n); int nnswift_get_num_threads(int *n)
    ! Process-wide thread count of the compute calls (1..1024); results do not depend on it.
    function nnswift_set_num_threads(n) bind(c, name="nnswift_set_num_threads") result(status)
      import :: c_int, c_int32_t
      integer(c_int32_t), value :: n
      integer(c_int) :: status
    end function

    function nnswift_get_num_threads(n) bind(c, name="nnswift_get_num_threads") result(status)
      import :: c_int, c_int32_t
      integer(c_int32_t), intent(out) :: n
      integer(c_int) :: status
    end function

    ! int nnswift_neighbor_list_build(ncenters, npoints, positions, radius, list)
    ! int nnswift_neighbor_list_rows(list, ncenters, numneigh, firstneigh)
    ! void nnswift_neighbor_list_free(list)
    ! A full list within radius (model cutoff + skin) kept over several steps (nnswift.h);
    ! numneigh and firstneigh point to ncenters entries (c_f_pointer them for compute_local).
    function nnswift_neighbor_list_build(ncenters, npoints, positions, radius, list) &
        bind(c, name="nnswift_neighbor_list_build") result(status)
      import :: c_ptr, c_int, c_int32_t, c_double
      integer(c_int32_t), value :: ncenters, npoints
      real(c_double), intent(in) :: positions(*)
      real(c_double), value :: radius
      type(c_ptr), intent(out) :: list
      integer(c_int) :: status
    end function

    function nnswift_neighbor_list_rows(list, ncenters, numneigh, firstneigh) &
        bind(c, name="nnswift_neighbor_list_rows") result(status)
      import :: c_ptr, c_int, c_int32_t
      type(c_ptr), value :: list
      integer(c_int32_t), intent(out) :: ncenters
      type(c_ptr), intent(out) :: numneigh, firstneigh
      integer(c_int) :: status
    end function

    subroutine nnswift_neighbor_list_free(list) bind(c, name="nnswift_neighbor_list_free")
      import :: c_ptr
      type(c_ptr), value :: list
    end subroutine

    ! int nnswift_model_num_descriptors(model, element, count)
    ! int nnswift_model_descriptor_name(model, element, index, name, capacity)
    ! Number of symmetry functions of an element, and the NUL-terminated name of one.
    function nnswift_model_num_descriptors(model, element, count) bind(c, name="nnswift_model_num_descriptors") &
        result(status)
      import :: c_ptr, c_int, c_int32_t
      type(c_ptr), value :: model
      integer(c_int32_t), value :: element
      integer(c_int32_t), intent(out) :: count
      integer(c_int) :: status
    end function

    function nnswift_model_descriptor_name(model, element, index, name, capacity) &
        bind(c, name="nnswift_model_descriptor_name") result(status)
      import :: c_ptr, c_int, c_int32_t, c_char, c_size_t
      type(c_ptr), value :: model
      integer(c_int32_t), value :: element, index
      character(kind=c_char), intent(out) :: name(*)
      integer(c_size_t), value :: capacity
      integer(c_int) :: status
    end function

    ! int nnswift_descriptors(model, natoms, positions, species, cell, pbc, scaled, values)
    ! Symmetry-function values of every atom, atom after atom (scaled /= 0: as the network sees them).
    function nnswift_descriptors(model, natoms, positions, species, cell, pbc, scaled, values) &
        bind(c, name="nnswift_descriptors") result(status)
      import :: c_ptr, c_int, c_int32_t, c_double
      type(c_ptr), value :: model
      integer(c_int32_t), value :: natoms
      real(c_double), intent(in) :: positions(*)
      integer(c_int32_t), intent(in) :: species(*)
      real(c_double), intent(in), optional :: cell(*)
      integer(c_int32_t), intent(in), optional :: pbc(*)
      integer(c_int32_t), value :: scaled
      real(c_double), intent(out) :: values(*)
      integer(c_int) :: status
    end function

    function nnswift_c_strlen(s) bind(c, name="strlen") result(n)
      import :: c_ptr, c_size_t
      type(c_ptr), value :: s
      integer(c_size_t) :: n
    end function
  end interface

  private :: nnswift_c_strlen, nnswift_c_to_fortran

contains

  ! A C string as a Fortran string ("" for NULL).
  function nnswift_c_to_fortran(p) result(s)
    type(c_ptr), intent(in) :: p
    character(len=:), allocatable :: s
    character(kind=c_char), pointer :: chars(:)
    integer :: n, i
    if (.not. c_associated(p)) then
      s = ""
      return
    end if
    n = int(nnswift_c_strlen(p))
    call c_f_pointer(p, chars, [max(n, 1)])
    allocate(character(len=n) :: s)
    do i = 1, n
      s(i:i) = chars(i)
    end do
  end function

  ! Message of the last failed call on this thread ("" if none).
  function nnswift_error_message() result(msg)
    character(len=:), allocatable :: msg
    msg = nnswift_c_to_fortran(nnswift_last_error())
  end function

  ! Library version, e.g. "0.2.0".
  function nnswift_version_string() result(v)
    character(len=:), allocatable :: v
    v = nnswift_c_to_fortran(nnswift_version())
  end function

  ! Loads a model from a Fortran string path (trailing blanks ignored).
  function nnswift_load(path, model) result(status)
    character(len=*), intent(in) :: path
    type(c_ptr), intent(out) :: model
    integer(c_int) :: status
    status = nnswift_model_load(trim(path) // c_null_char, model)
  end function

  ! Loads a model giving its units (Fortran strings, e.g. "bohr", "hartree"; "" keeps the model's).
  function nnswift_load_with_units(path, length_unit, energy_unit, model) result(status)
    character(len=*), intent(in) :: path, length_unit, energy_unit
    type(c_ptr), intent(out) :: model
    integer(c_int) :: status
    status = nnswift_model_load_with_units(trim(path) // c_null_char, trim(length_unit) // c_null_char, &
                                           trim(energy_unit) // c_null_char, model)
  end function

  ! Conversion factor between two units given as Fortran strings: value_to = value_from * factor.
  function nnswift_factor(from_unit, to_unit, factor) result(status)
    character(len=*), intent(in) :: from_unit, to_unit
    real(c_double), intent(out) :: factor
    integer(c_int) :: status
    status = nnswift_unit_factor(trim(from_unit) // c_null_char, trim(to_unit) // c_null_char, factor)
  end function

  ! Symbol of element `index` (0-based, as the species indices); "" if out of range.
  function nnswift_element_symbol(model, index) result(symbol)
    type(c_ptr), intent(in) :: model
    integer, intent(in) :: index
    character(len=:), allocatable :: symbol
    type(c_ptr) :: p
    if (nnswift_model_element(model, int(index, c_int32_t), p) == NNSWIFT_OK) then
      symbol = nnswift_c_to_fortran(p)
    else
      symbol = ""
    end if
  end function

  ! Species index (0-based) of the element with this symbol, or -1 if the model lacks it.
  function nnswift_species_index(model, symbol) result(index)
    type(c_ptr), intent(in) :: model
    character(len=*), intent(in) :: symbol
    integer :: index
    integer(c_int32_t) :: k
    if (nnswift_model_element_index(model, trim(adjustl(symbol)) // c_null_char, k) == NNSWIFT_OK) then
      index = int(k)
    else
      index = -1
    end if
  end function

  ! Number of elements of the model (0 on error).
  function nnswift_num_elements(model) result(count)
    type(c_ptr), intent(in) :: model
    integer :: count
    integer(c_int32_t) :: n
    count = 0
    if (nnswift_model_num_elements(model, n) == NNSWIFT_OK) count = int(n)
  end function

  ! Cutoff radius of the model (negative on error).
  function nnswift_cutoff(model) result(cutoff)
    type(c_ptr), intent(in) :: model
    real(c_double) :: cutoff
    if (nnswift_model_cutoff(model, cutoff) /= NNSWIFT_OK) cutoff = -1.0_c_double
  end function

  ! Declared units of the model as Fortran strings.
  function nnswift_units(model, length, energy) result(status)
    type(c_ptr), intent(in) :: model
    character(len=:), allocatable, intent(out) :: length, energy
    integer(c_int) :: status
    type(c_ptr) :: pl, pe
    status = nnswift_model_units(model, pl, pe)
    if (status == NNSWIFT_OK) then
      length = nnswift_c_to_fortran(pl)
      energy = nnswift_c_to_fortran(pe)
    else
      length = ""
      energy = ""
    end if
  end function
end module nnswift
