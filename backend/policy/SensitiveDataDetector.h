#pragma once

#include <QString>
#include <QStringList>
#include <optional>

// Says whether a column looks like it holds personal or secret data, by its name and by a
// sample of its values, so that a column nobody classified is noticed before it travels
// to a sandbox (PolicyCoverage, the preflight's policy-coverage check).
//
// Promises:
// - byName() matches the words of a column's name (split at underscores, spaces, digits
//   and case changes, or found inside one upper-case word: PERSONALEMAIL) against a fixed
//   list: email, phone, mobile, fax, password, token, secret, iban, ssn, birth, address,
//   street, postcode, name...; it returns the word that matched. Short words and "name"
//   count only as words of their own (NAME, CUST_NAME; not FILENAME).
// - byValues() says which kind of value most of a sample is, with how many matched:
//   email addresses, card numbers that pass the Luhn check, IBANs that pass their mod-97
//   checksum, phone numbers. A kind counts when at least a fifth of the non-empty values,
//   and at least two, are of it.
// - The evidence never repeats a value: it names kinds and counts only.
// - Pure functions of their input: any thread.
class SensitiveDataDetector
{
public:
    struct ValueEvidence
    {
        QString kind; // "email addresses", "card numbers", "IBANs", "phone numbers"
        int matches = 0;
        int sampled = 0;
        QString sentence() const; // "12 of 40 sampled values are email addresses"
    };

    static QString byName(const QString& column);
    static std::optional<ValueEvidence> byValues(const QStringList& values);

    static bool isEmail(const QString& value);
    static bool isCardNumber(const QString& value);
    static bool isIban(const QString& value);
    static bool isPhoneNumber(const QString& value);
    // The Masker kind a column flagged this way would be masked as ("email", "phone", "name", "text").
    static QString suggestedMask(const QString& nameWord, const QString& valueKind);
};
