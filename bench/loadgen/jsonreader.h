#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

/// Just enough JSON for the load generator, written by hand on purpose: the generator reads every one
/// of up to a few hundred thousand frames per second on a core it may use only 70 % of, and it needs
/// three or four members of frames whose shape it knows. A general parser would build a tree (allocating)
/// for each; this walks an object's or array's members once, hands back each value's raw text, and skips
/// nested values by matching brackets and string escapes. Strings are returned still escaped: every
/// string the generator compares (room names, ids, message texts) is one it produced, plain ASCII.
namespace Tertulia::Bench::Json {

enum class Kind { String, Number, Object, Array, True, False, Null };

struct Value
{
    Kind kind = Kind::Null;
    /// For strings: the characters between the quotes (escapes untouched); otherwise the whole value.
    std::string_view text;
    bool hasEscapes = false;
};

/// Reads one value starting at `pos` (leading whitespace allowed) and moves `pos` past it.
/// Returns false on malformed input or nesting deeper than 64.
bool readValue(std::string_view json, size_t &pos, Value &out);

/// What the object and array readers share: the text, the position, separators and the end.
class ContainerReader
{
public:
    /// False when the text was not well formed (checked as far as it was read).
    bool ok() const { return !m_failed; }

protected:
    ContainerReader(std::string_view text, char open, char close);
    /// Steps over the separator before the next element: false at the closing bracket or on an error.
    bool advance();
    bool fail();

    std::string_view m_text;
    size_t m_pos = 0;

private:
    char m_close;
    bool m_first = true;
    bool m_done = false;
    bool m_failed = false;
};

/// Iterates the members of one object: `ObjectReader r(text); while (r.next(key, value)) ...; r.ok()`.
class ObjectReader : public ContainerReader
{
public:
    explicit ObjectReader(std::string_view objectText) : ContainerReader(objectText, '{', '}') {}
    bool next(std::string_view &key, Value &value);
};

/// Iterates the elements of one array.
class ArrayReader : public ContainerReader
{
public:
    explicit ArrayReader(std::string_view arrayText) : ContainerReader(arrayText, '[', ']') {}
    bool next(Value &value);
};

/// The member `key` of an object, or nullopt.
std::optional<Value> member(std::string_view objectText, std::string_view key);

/// A non-negative integer from a Number value (or a String of digits, as ids are).
std::optional<uint64_t> toUnsigned(const Value &value);

} // namespace Tertulia::Bench::Json
