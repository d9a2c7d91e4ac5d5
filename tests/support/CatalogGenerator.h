#pragma once

#include <QString>

// Writes a catalog of the size a team keeps over a few years, for the tests and the
// benchmarks that need one (tst_cataloggenerator, tst_bench_catalog): projects with
// their environments and databases, and operations with their runbook steps and
// parameters, as the real product writes them. The catalog is created by the real
// Catalog (its migrations), then filled in one transaction.
//
// Promises:
// - Deterministic: the same Shape gives the same rows (times count back from `now`).
// - The first project is "contoso" with contoso-prod (production) and contoso-uat
//   (a sandbox); contoso-uat is the target of `busyOperations` of the operations.
// - Every environment's newest operation is Completed (it keeps a restore point); the
//   older ones are SignedOff, RollbackCompleted or Aborted: final, as a catalog that
//   is looked after holds them.
// - Refreshes carry parameters of about `paramsBytes` (the reviewed policy, its
//   report, the source's row counts); packages applied carry their package.
// - The databases named are not created: nothing here opens them.
class CatalogGenerator
{
public:
    struct Shape
    {
        int projects = 20;
        int environments = 1000; // in all, production ones included
        int operations = 100000;
        int busyOperations = 10000; // of them, on contoso-uat
        int paramsBytes = 20000;
    };

    // Creates the catalog in `folder` (which must hold none yet).
    static bool generate(const QString& folder, const Shape& shape, QString* error);
};
