#pragma once

namespace Tertulia::Bench {

/// Checks the generator's own codecs against known answers: RFC 6455 frame examples, the RFC 7515 A.1
/// HS256 vector, the JSON reader, both chat encodings and the histogram. Prints "N passed, M failed";
/// returns the process exit code.
int runSelfTest();

} // namespace Tertulia::Bench
