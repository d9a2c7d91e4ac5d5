#include "demo/DemoText.h"

#include <cstring>
#include <stdexcept>

namespace {

// One row never needs more; a value that would overflow is a programming error.
constexpr std::size_t Capacity = 1 << 16;

// Howard Hinnant's civil_from_days: the proleptic Gregorian date of a day number.
void civilFromDays(std::int64_t z, int* year, int* month, int* day)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *day = int(doy - (153 * mp + 2) / 5 + 1);
    *month = int(mp < 10 ? mp + 3 : mp - 9);
    *year = int(yoe + era * 400 + (*month <= 2 ? 1 : 0));
}

} // namespace

DemoText::DemoText() : m_buffer(Capacity) {}

void DemoText::ensure(std::size_t more)
{
    if (m_used + more > m_buffer.size())
        throw std::length_error("DemoText: a row's values exceed the scratch buffer");
}

DemoText& DemoText::start()
{
    m_start = m_used;
    return *this;
}

DemoText& DemoText::add(std::string_view text)
{
    ensure(text.size());
    std::memcpy(m_buffer.data() + m_used, text.data(), text.size());
    m_used += text.size();
    return *this;
}

DemoText& DemoText::add(char c)
{
    ensure(1);
    m_buffer[m_used++] = c;
    return *this;
}

DemoText& DemoText::number(std::uint64_t value, int minDigits)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = char('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n < minDigits && n < int(sizeof digits))
        digits[n++] = '0';
    ensure(std::size_t(n));
    while (n > 0)
        m_buffer[m_used++] = digits[--n];
    return *this;
}

DemoText& DemoText::hex(std::uint64_t value, int hexDigits)
{
    static const char Digits[] = "0123456789abcdef";
    ensure(std::size_t(hexDigits));
    for (int i = hexDigits - 1; i >= 0; --i) {
        m_buffer[m_used + std::size_t(i)] = Digits[value & 0xF];
        value >>= 4;
    }
    m_used += std::size_t(hexDigits);
    return *this;
}

DemoText& DemoText::date(std::int64_t day)
{
    int y = 0, m = 0, d = 0;
    civilFromDays(day, &y, &m, &d);
    number(std::uint64_t(y), 4).add('-').number(std::uint64_t(m), 2).add('-').number(std::uint64_t(d), 2);
    return *this;
}

DemoText& DemoText::dateTime(std::int64_t seconds)
{
    const std::int64_t day = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    const std::int64_t s = seconds - day * 86400;
    date(day).add('T');
    number(std::uint64_t(s / 3600), 2).add(':').number(std::uint64_t(s / 60 % 60), 2).add(':');
    number(std::uint64_t(s % 60), 2).add('Z');
    return *this;
}

std::string_view DemoText::finish() const
{
    return std::string_view(m_buffer.data() + m_start, m_used - m_start);
}
