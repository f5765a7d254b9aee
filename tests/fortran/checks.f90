! One line per check and a failure count, shared by the Fortran test programs
! (tests/bindings/fortran_local.f90, tests/units/units_check.f90): compile this file first.
!   call check(ok, 'what')   prints "ok - what", or "not ok - what: <nnswift_error_message()>"
!   call finish()            exit status 1 when a check failed
module nnswift_checks
  use nnswift, only: nnswift_error_message
  implicit none
  private
  public :: check, finish
  integer :: failures = 0

contains

  subroutine check(ok, what)
    logical, intent(in) :: ok
    character(len=*), intent(in) :: what
    if (ok) then
      print '(2a)', 'ok - ', what
    else
      print '(4a)', 'not ok - ', what, ': ', nnswift_error_message()
      failures = failures + 1
    end if
  end subroutine

  subroutine finish()
    if (failures > 0) stop 1
  end subroutine
end module
