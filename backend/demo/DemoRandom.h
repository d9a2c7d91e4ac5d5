#pragma once

#include <cstdint>
#include <string_view>

// A deterministic pseudo-random sequence for the demo data (splitmix64): the same seed
// gives the same numbers on every machine and every run. Never seeded from a clock.
class DemoRandom
{
public:
    explicit DemoRandom(std::uint64_t seed) : m_state(seed) {}

    // A seed for one table of one environment: the FNV-1a hashes of both names, mixed.
    static std::uint64_t seedFor(std::string_view environment, std::string_view table)
    {
        return hash(environment) * 0x9E3779B97F4A7C15ULL ^ hash(table);
    }

    static std::uint64_t hash(std::string_view text)
    {
        std::uint64_t h = 0xCBF29CE484222325ULL;
        for (const char c : text) {
            h ^= static_cast<unsigned char>(c);
            h *= 0x100000001B3ULL;
        }
        return h;
    }

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    // 0 <= result < n (n > 0).
    std::uint32_t below(std::uint32_t n) { return std::uint32_t(((next() >> 32) * std::uint64_t(n)) >> 32); }

    // lo <= result <= hi.
    int range(int lo, int hi) { return lo + int(below(std::uint32_t(hi - lo + 1))); }

    bool percent(int p) { return int(below(100)) < p; }

    template <typename T, std::size_t N> const T& pick(const T (&items)[N]) { return items[below(std::uint32_t(N))]; }

private:
    std::uint64_t m_state;
};
