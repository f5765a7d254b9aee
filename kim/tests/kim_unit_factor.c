/* Prints the KIM API's conversion factor between two units (value_in_to = value_in_from * factor):
 *   kim_unit_factor length|energy FROM TO      e.g. kim_unit_factor energy eV kcal_mol
 * The tests use it as the independent value of KIM's unit system. */
#include "KIM_ModelDriverHeaders.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[1], "length") != 0 && strcmp(argv[1], "energy") != 0)) {
        fprintf(stderr, "usage: kim_unit_factor length|energy FROM TO\n");
        return 2;
    }
    int length = strcmp(argv[1], "length") == 0;
    KIM_LengthUnit l_from = KIM_LENGTH_UNIT_A, l_to = KIM_LENGTH_UNIT_A;
    KIM_EnergyUnit e_from = KIM_ENERGY_UNIT_eV, e_to = KIM_ENERGY_UNIT_eV;
    if (length) {
        l_from = KIM_LengthUnit_FromString(argv[2]);
        l_to = KIM_LengthUnit_FromString(argv[3]);
    } else {
        e_from = KIM_EnergyUnit_FromString(argv[2]);
        e_to = KIM_EnergyUnit_FromString(argv[3]);
    }
    double factor = 0;
    if (KIM_ModelDriverCreate_ConvertUnit(l_from, e_from, KIM_CHARGE_UNIT_unused, KIM_TEMPERATURE_UNIT_unused,
                                          KIM_TIME_UNIT_unused, l_to, e_to, KIM_CHARGE_UNIT_unused,
                                          KIM_TEMPERATURE_UNIT_unused, KIM_TIME_UNIT_unused, length ? 1 : 0,
                                          length ? 0 : 1, 0, 0, 0, &factor)) {
        fprintf(stderr, "kim_unit_factor: KIM cannot convert %s to %s\n", argv[2], argv[3]);
        return 1;
    }
    printf("%.17g\n", factor);
    return 0;
}
