#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

// A scratch arena in which the demo generator composes the text values of one row
// (names, addresses, ISO dates) without allocating. The views it hands out stay valid
// until reset(), so they can be bound to a statement as static text.
class DemoText
{
public:
    DemoText();

    // Forget every value of the previous row.
    void reset() { m_used = 0; }

    // Compose a value piece by piece: start(), add...(), then finish().
    DemoText& start();
    DemoText& add(std::string_view text);
    DemoText& add(char c);
    // `value` in decimal, left-padded with zeros to at least `minDigits`.
    DemoText& number(std::uint64_t value, int minDigits = 1);
    // `hexDigits` lower-case hexadecimal digits of `value`.
    DemoText& hex(std::uint64_t value, int hexDigits);
    // An ISO 8601 date (YYYY-MM-DD) of `day` days after 1970-01-01.
    DemoText& date(std::int64_t day);
    // An ISO 8601 UTC date-time (YYYY-MM-DDTHH:MM:SSZ) of `seconds` after 1970-01-01.
    DemoText& dateTime(std::int64_t seconds);
    std::string_view finish() const;

    // Shorthands: one complete value.
    std::string_view concat(std::string_view a, std::string_view b) { return start().add(a).add(b).finish(); }
    std::string_view code(std::string_view prefix, std::uint64_t value, int minDigits)
    {
        return start().add(prefix).number(value, minDigits).finish();
    }
    std::string_view isoDate(std::int64_t day) { return start().date(day).finish(); }
    std::string_view isoDateTime(std::int64_t seconds) { return start().dateTime(seconds).finish(); }

private:
    void ensure(std::size_t more);

    std::vector<char> m_buffer;
    std::size_t m_used = 0;
    std::size_t m_start = 0;
};
