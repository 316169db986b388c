// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "wenshu",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "wenshu", targets: ["wenshu"]),
        .library(name: "WenshuPipeline", targets: ["WenshuPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    // Every module a target imports is declared here (none reached through another's dependencies).
    targets: [
        // System libraries. libxml2's headers are wrapped so that ICU stays out of Swift's sight (see NATIVE.md).
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        // ICU is called only from C; Swift sees plain C types through this shim's header.
        .target(name: "CICUShim", path: "Sources/CICUShim",
                linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]),

        // SHA-256 in C, fast in debug builds too; wrapped by WenshuCore.SHA256Hasher.
        .target(name: "CSHA256", path: "Sources/CSHA256"),

        .target(name: "WenshuCore", dependencies: ["CSHA256"], path: "Sources/WenshuCore"),
        .target(name: "WenshuIngest",
                dependencies: ["WenshuCore", "CLibXML2", "CICUShim",
                               .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                path: "Sources/WenshuIngest"),
        .target(name: "WenshuText", dependencies: ["WenshuCore", "CICUShim"], path: "Sources/WenshuText"),
        .target(name: "WenshuTensor", dependencies: ["COpenBLAS"], path: "Sources/WenshuTensor",
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(name: "WenshuModel", dependencies: ["WenshuCore", "WenshuTensor"], path: "Sources/WenshuModel"),
        .target(name: "WenshuEval", dependencies: ["WenshuCore", "WenshuModel"], path: "Sources/WenshuEval"),
        .target(name: "WenshuPipeline",
                dependencies: ["WenshuCore", "WenshuIngest", "WenshuText", "WenshuTensor", "WenshuModel", "WenshuEval",
                               .product(name: "Yams", package: "Yams"),
                               .product(name: "GRDB", package: "GRDB.swift"),
                               .product(name: "Logging", package: "swift-log")],
                path: "Sources/WenshuPipeline"),
        .executableTarget(name: "wenshu",
                          dependencies: ["WenshuCore", "WenshuIngest", "WenshuModel", "WenshuEval", "WenshuPipeline",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "Logging", package: "swift-log")],
                          path: "Sources/wenshu"),

        // Test support shared by the test targets that read ../shared/data.
        .target(name: "WenshuTestSupport", path: "Tests/WenshuTestSupport"),

        .testTarget(name: "WenshuCoreTests", dependencies: ["WenshuCore"], path: "Tests/WenshuCoreTests"),
        .testTarget(name: "WenshuIngestTests", dependencies: ["WenshuCore", "WenshuIngest", "CICUShim", "WenshuTestSupport",
                                                              .product(name: "ZIPFoundation", package: "ZIPFoundation")], path: "Tests/WenshuIngestTests",
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "WenshuTextTests", dependencies: ["WenshuCore", "WenshuText", "CICUShim", "WenshuTestSupport"], path: "Tests/WenshuTextTests",
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "WenshuTensorTests", dependencies: ["WenshuTensor"], path: "Tests/WenshuTensorTests"),
        .testTarget(name: "WenshuModelTests", dependencies: ["WenshuCore", "WenshuTensor", "WenshuModel"], path: "Tests/WenshuModelTests",
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "WenshuEvalTests", dependencies: ["WenshuCore", "WenshuModel", "WenshuEval", "WenshuTestSupport"], path: "Tests/WenshuEvalTests",
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "WenshuPipelineTests", dependencies: ["WenshuCore", "WenshuIngest", "WenshuText", "WenshuModel",
                                                                  "WenshuPipeline"], path: "Tests/WenshuPipelineTests",
                    resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v5]
)
