/* libFuzzer target: the --loads/--freqs parser (START:STOP:COUNT or a list). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct range r = {0};
    char err[512] = "";
    enum as_status st = range_parse(text, "--loads", &r, err, sizeof err);
    if (st != AS_OK && strncmp(err, "--loads", 7) != 0)
        abort(); /* every refusal names the option */
    for (size_t i = 0; st == AS_OK && i < r.count; i++)
        if (!(r.values[i] > 0) || (i && r.values[i] < r.values[i - 1]))
            abort(); /* accepted values are positive and ascending */
    range_free(&r);
    free(text);
    return 0;
}
