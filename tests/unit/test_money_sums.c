/* Sums of money lose their binary floating-point residue and nothing else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "funnel.h"

static void sums_are_tidied_to_the_amount_a_ledger_shows(void **state)
{
	(void)state;
	static const struct {
		double in, want;
	} cases[] = {
	    {0.1 + 0.2, 0.3}, /* 0.30000000000000004 */
	    {11431.610000000002, 11431.61},
	    {-5.000000000001, -5.0},
	    {1234.5, 1234.5},	   /* a real amount is kept */
	    {1.0 / 3.0, 0.333333}, /* a third of a cent split: a millionth */
	    {0.0, 0.0},
	    {2e9 + 0.30000000000000004, 2e9 + 0.30000000000000004}, /* beyond 1e9: as is */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_true(funnel_money(cases[i].in) == cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(sums_are_tidied_to_the_amount_a_ledger_shows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
