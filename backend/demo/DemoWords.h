#pragma once

#include <string_view>

// The vocabulary of the demo data: names, places and business words that the demo
// generator combines into customers, items, orders and journal texts.
namespace DemoWords {

using W = std::string_view;

inline constexpr W FirstNames[] = {
    "Aaron",  "Abigail", "Adele", "Alex",   "Amelia", "Anna",  "Ben",   "Carlos",   "Charlotte", "Chen",
    "Chloe",  "Daniel",  "David", "Diego",  "Elena",  "Emil",  "Emma",  "Erik",     "Fatima",    "Felix",
    "Grace",  "Hana",    "Hugo",  "Isabel", "Ivan",   "Jack",  "James", "Julia",    "Kenji",     "Lars",
    "Laura",  "Leo",     "Lina",  "Lucas",  "Maria",  "Mateo", "Mia",   "Mohammed", "Nadia",     "Noah",
    "Olivia", "Oscar",   "Priya", "Rafael", "Ravi",   "Sara",  "Sofia", "Tom",      "Vera",      "Yuki"};

inline constexpr W LastNames[] = {"Andersen", "Baker",  "Becker",  "Brown",    "Castro", "Chen",   "Clark",  "Costa",
                                  "Dubois",   "Evans",  "Fischer", "Garcia",   "Hansen", "Hughes", "Ito",    "Jensen",
                                  "Johnson",  "Khan",   "Kim",     "Kowalski", "Larsen", "Lee",    "Lopez",  "Martin",
                                  "Meyer",    "Miller", "Moreau",  "Murphy",   "Nguyen", "Novak",  "Okafor", "Olsen",
                                  "Patel",    "Perez",  "Rossi",   "Schmidt",  "Silva",  "Singh",  "Smith",  "Suzuki",
                                  "Taylor",   "Walker", "Weber",   "Wilson",   "Wong",   "Young"};

inline constexpr W CompanyWords[] = {
    "Adatum",          "Adventure",  "Alpine",    "Blue Yonder", "City Power", "Coho",
    "Consolidated",    "Contoso",    "Datum",     "Fabrikam",    "First Up",   "Fourth Coffee",
    "Graphic Design",  "Humongous",  "Litware",   "Lucerne",     "Margie's",   "Nod",
    "Northwind",       "Proseware",  "Relecloud", "Southridge",  "Tailspin",   "Trey",
    "VanArsdel",       "Wide World", "Wingtip",   "Woodgrove",   "Worldwide",  "Tasmanian",
    "Northern Lights", "Bellows",    "Sunrise",   "Redwood"};

inline constexpr W CompanyKinds[] = {"Traders",         "Supplies",      "Foods",  "Logistics",  "Industries",
                                     "Consulting",      "Manufacturing", "Retail", "Outfitters", "Electronics",
                                     "Pharmaceuticals", "Airlines",      "Bank",   "Toys",       "Importers",
                                     "Furniture",       "Motors",        "Energy", "Textiles",   "Hardware"};

inline constexpr W LegalForms[] = {"Ltd", "Inc", "GmbH", "LLC", "AB", "SA", "BV", "Corp", "AG", "Oy"};

inline constexpr W Streets[] = {"Main Street", "Oak Avenue",    "Maple Road",         "Pine Street",
                                "Lake Drive",  "Harbor Way",    "Market Square",      "Station Road",
                                "River Lane",  "Hill Crescent", "Park Boulevard",     "Mill Street",
                                "Church Road", "King Street",   "Industrial Parkway", "Commerce Drive"};

inline constexpr W Cities[] = {"Redmond, WA 98052", "Seattle, WA 98101", "Houston, TX 77002",   "Chicago, IL 60601",
                               "Boston, MA 02108",  "Denver, CO 80202",  "Atlanta, GA 30303",   "Portland, OR 97204",
                               "Phoenix, AZ 85004", "Miami, FL 33131",   "Toronto, ON M5H 2N2", "Vancouver, BC V6B 1A1",
                               "London EC1A 1BB",   "Manchester M1 1AE", "Paris 75002",         "Lyon 69002",
                               "Berlin 10115",      "Munich 80331",      "Copenhagen 1050",     "Oslo 0150",
                               "Stockholm 111 52",  "Madrid 28013",      "Milan 20121",         "Amsterdam 1012",
                               "Tokyo 100-0005",    "Sydney NSW 2000"};

inline constexpr W Countries[] = {"USA", "USA", "USA", "CAN", "GBR", "FRA", "DEU", "DNK",
                                  "NOR", "SWE", "ESP", "ITA", "NLD", "JPN", "AUS"};

inline constexpr W Currencies[] = {"USD", "USD", "USD", "EUR", "EUR", "GBP", "CAD", "DKK", "JPY", "AUD"};

inline constexpr W Companies[] = {"USMF", "USMF", "USMF", "USRT", "USSI", "DEMF", "GBSI", "FRRT", "DAT"};

inline constexpr W CustomerGroups[] = {"10", "20", "30", "40", "80", "90"};
inline constexpr W VendorGroups[] = {"10", "20", "30", "40", "50"};
inline constexpr W PaymentTerms[] = {"Net10", "Net30", "Net45", "Net60", "COD", "Month+15"};
inline constexpr W ItemGroups[] = {"Audio",   "Television", "Cables", "Furniture",   "Office",
                                   "Apparel", "Food",       "Tools",  "Spare parts", "Services"};
inline constexpr W Units[] = {"ea", "ea", "ea", "pcs", "box", "kg", "m", "l", "set", "h"};

inline constexpr W ItemAdjectives[] = {"Black",    "White",      "Silver",       "Premium",  "Compact",
                                       "Wireless", "Heavy-duty", "Ergonomic",    "Outdoor",  "Classic",
                                       "Deluxe",   "Portable",   "Smart",        "Recycled", "Stainless",
                                       "Organic",  "Digital",    "Professional", "Mini",     "Large"};

inline constexpr W ItemNouns[] = {"Speaker",      "Cable",    "Chair",      "Desk",         "Lamp",    "Monitor",
                                  "Headphones",   "Keyboard", "Router",     "Projector",    "Jacket",  "Backpack",
                                  "Coffee beans", "Drill",    "Wrench set", "Bearing",      "Valve",   "Pump",
                                  "Filter",       "Sensor",   "Shelf",      "Cabinet",      "Printer", "Scanner",
                                  "Tablet",       "Charger",  "Adapter",    "Battery pack", "Tripod",  "Camera"};

inline constexpr W Words[] = {
    "order",      "delivery",   "invoice",    "customer",   "shipment",     "pallet",   "warehouse",   "payment",
    "discount",   "quarterly",  "contract",   "return",     "replacement",  "service",  "maintenance", "freight",
    "express",    "standard",   "partial",    "backorder",  "confirmed",    "approved", "pending",     "project",
    "campaign",   "promotion",  "retail",     "wholesale",  "import",       "export",   "customs",     "duty",
    "insurance",  "handling",   "priority",   "regional",   "national",     "annual",   "monthly",     "rebate",
    "allowance",  "settlement", "accrual",    "adjustment", "revaluation",  "transfer", "inventory",   "count",
    "production", "batch",      "quality",    "inspection", "vendor",       "purchase", "budget",      "forecast",
    "expense",    "travel",     "consulting", "license",    "subscription", "renewal",  "upgrade",     "support"};

inline constexpr W LedgerMainAccounts[] = {"110110", "110130", "110150", "130100", "130200", "140200", "200110",
                                           "200120", "211100", "220110", "401100", "401200", "403100", "501100",
                                           "600120", "601100", "605110", "606100", "618160", "640100"};
inline constexpr W Departments[] = {"001", "002", "003", "004", "005", "022", "023", "024"};
inline constexpr W CostCenters[] = {"011", "012", "014", "015", "021", "031", "032", "041"};

inline constexpr W EmailDomains[] = {"contoso.com",   "fabrikam.com", "adatum.com",  "litware.com",   "northwind.com",
                                     "proseware.com", "tailspin.com", "wingtip.com", "woodgrove.com", "example.org"};

inline constexpr W BatchCaptions[] = {"Post inventory closing",
                                      "Master planning",
                                      "Sales order release to warehouse",
                                      "Invoice posting",
                                      "Customer aging snapshot",
                                      "Vendor payment proposal",
                                      "Revaluation of foreign currency",
                                      "Financial dimension value sync",
                                      "Retail scheduler: 1070 Channel configuration",
                                      "Retail scheduler: 1040 Products",
                                      "Retail scheduler: 1010 Customers",
                                      "Post retail statements",
                                      "Calculate retail statements",
                                      "Synchronize Azure Active Directory users",
                                      "Data entity change tracking cleanup",
                                      "Batch job history cleanup",
                                      "Workflow message processing",
                                      "Email distributor batch",
                                      "Electronic reporting export",
                                      "Bank reconciliation import",
                                      "Update on-hand inventory",
                                      "Create cycle counting work",
                                      "Process purchase requisitions",
                                      "Consolidate journals"};

inline constexpr W BatchTaskCaptions[] = {"Prepare",  "Process",  "Post",   "Update", "Notify",
                                          "Clean up", "Validate", "Export", "Import", "Summarize"};

inline constexpr W Recurrences[] = {"",
                                    "",
                                    "FREQ=DAILY;INTERVAL=1",
                                    "FREQ=HOURLY;INTERVAL=1",
                                    "FREQ=MINUTELY;INTERVAL=15",
                                    "FREQ=WEEKLY;BYDAY=MO",
                                    "FREQ=MONTHLY;BYMONTHDAY=1"};

inline constexpr W PrintDocuments[] = {"Sales order confirmation",
                                       "Customer invoice",
                                       "Packing slip",
                                       "Purchase order",
                                       "Vendor payment advice",
                                       "Free text invoice",
                                       "Quotation",
                                       "Collection letter",
                                       "Interest note",
                                       "Customer account statement",
                                       "Picking list",
                                       "Bill of lading"};

inline constexpr W RecurringJobs[] = {"Customers from CRM",     "Sales orders to warehouse", "Vendor invoices from OCR",
                                      "Exchange rates import",  "Product master export",     "Bank statements import",
                                      "Payroll journal import", "Store transactions export"};

inline constexpr W Stores[] = {"HOUSTON", "SEATTLE", "SANFRANCISCO", "CHICAGO",
                               "BOSTON",  "DENVER",  "MIAMI",        "PORTLAND"};

inline constexpr W ReportNames[] = {"Balance sheet",    "Income statement",   "Cash flow",        "Trial balance",
                                    "Budget vs actual", "Sales by region",    "Expense analysis", "Aged receivables",
                                    "Aged payables",    "Statement of equity"};

inline constexpr W RowDescriptions[] = {"Cash and cash equivalents",
                                        "Accounts receivable",
                                        "Inventory",
                                        "Prepaid expenses",
                                        "Fixed assets",
                                        "Accumulated depreciation",
                                        "Accounts payable",
                                        "Accrued liabilities",
                                        "Long-term debt",
                                        "Retained earnings",
                                        "Revenue",
                                        "Cost of goods sold",
                                        "Gross margin",
                                        "Salaries",
                                        "Rent",
                                        "Utilities",
                                        "Travel",
                                        "Marketing",
                                        "Depreciation",
                                        "Operating income",
                                        "Interest expense",
                                        "Income tax",
                                        "Net income",
                                        "Total assets",
                                        "Total liabilities"};

} // namespace DemoWords
