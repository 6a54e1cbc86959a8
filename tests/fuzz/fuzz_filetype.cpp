// What an upload is (server/files/filetype): the first bytes of any file anyone uploads. The header parsers must
// never read past the end, and an image they report has a size within the bounds served inline.
#include "fuzzcheck.h"
#include "server/files/filetype.h"

using namespace Tertulia;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const Files::Sniffed sniffed = Files::sniff(Fuzz::bytesOf(data, size));
    if (sniffed.isImage()) {
        FUZZ_CHECK(sniffed.width >= 1 && sniffed.width <= 65535);
        FUZZ_CHECK(sniffed.height >= 1 && sniffed.height <= 65535);
        FUZZ_CHECK(Files::declaredTypeAgrees(Files::mediaType(sniffed.kind).toLatin1(), sniffed.kind));
    } else {
        FUZZ_CHECK(sniffed.width == 0 && sniffed.height == 0);
    }
    return 0;
}
