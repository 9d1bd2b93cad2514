// swift-tools-version:6.0
// ztpol: a zero-trust firewall policy compiler. The targets follow the pipeline:
// PolicyLanguage (text → syntax tree) → PolicyModel (checked model) → RulesetCompiler (→ Nftables program)
// → Netlink (one atomic batch); ACME and Trust beside it; `ztpol` is the command line over all of them.
import PackageDescription

let package = Package(
    name: "ztpol",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ztpol", targets: ["ztpol"]),
    ],
    targets: [
        // C libraries from Debian's -dev packages.
        .systemLibrary(name: "CNetfilter", pkgConfig: "libnftnl", providers: [.apt(["libnftnl-dev", "libmnl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // Headers only: libcurl itself is loaded on first use (Sources/CShims/curl_shims.c), not linked.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Typed wrappers for what Swift cannot import: C macros and variadic functions.
        .target(name: "CShims", dependencies: ["COpenSSL", "CCurl"]),

        // The pipeline.
        // Addresses, prefixes, ranges and port ranges: shared by the model, the compiler and netlink.
        .target(name: "NetworkAddresses"),
        // A map over independent items on every core, for the stages that have many; fresh memory prefaulted.
        .target(name: "Parallel"),
        .target(name: "Prefault"),
        .target(name: "PolicyLanguage", dependencies: ["NetworkAddresses"]),
        .target(name: "PolicyModel", dependencies: ["PolicyLanguage", "NetworkAddresses", "Parallel", "Prefault"]),
        .target(name: "Nftables", dependencies: ["NetworkAddresses", "Parallel"]),
        .target(name: "RulesetCompiler", dependencies: ["PolicyLanguage", "PolicyModel", "Nftables"]),
        .target(name: "Netlink", dependencies: ["Nftables", "CNetfilter", "Prefault"]),
        // Two rulesets compared for people: zones paired across two policies, text, Markdown and JSON.
        .target(name: "RulesetDiff", dependencies: ["PolicyLanguage", "PolicyModel", "RulesetCompiler", "Nftables",
                                                   "NetworkAddresses"]),

        // Beside the pipeline: certificates, the ACME client, trust installation.
        .target(name: "Certificates", dependencies: ["COpenSSL", "CShims"]),
        .target(name: "ACME", dependencies: ["Certificates", "COpenSSL", "CCurl", "CShims"]),
        .target(name: "Trust", dependencies: ["Certificates"]),

        .executableTarget(
            name: "ztpol",
            dependencies: ["NetworkAddresses", "PolicyLanguage", "PolicyModel", "Nftables", "RulesetCompiler", "Netlink",
                           "RulesetDiff", "Certificates", "ACME", "Trust", "CShims"]),

        // Helpers the test targets share (a seeded random number generator); no product depends on it.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "PolicyLanguageTests", dependencies: ["NetworkAddresses", "PolicyLanguage", "PolicyModel",
                                                               "TestSupport"],
                    resources: [.copy("BadPolicies")]),
        .testTarget(name: "RulesetCompilerTests",
                    dependencies: ["PolicyModel", "RulesetCompiler", "Nftables", "NetworkAddresses", "PolicyLanguage",
                                   "TestSupport"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "RulesetDiffTests", dependencies: ["RulesetDiff", "PolicyModel", "Nftables"],
                    exclude: ["Fixtures", "Golden"]),
        .testTarget(name: "NetlinkTests", dependencies: ["Netlink", "Nftables", "NetworkAddresses", "TestSupport"]),
        .testTarget(name: "ACMETests", dependencies: ["ACME", "Certificates"]),
        .testTarget(name: "TrustTests", dependencies: ["Trust", "Certificates"]),
        .testTarget(name: "CShimsTests", dependencies: ["CShims"]),
        .testTarget(name: "PrefaultTests", dependencies: ["Prefault"]),
    ]
)
