import Foundation

// Writes Sources/IncidentKit/Runbooks/BuiltinRunbooks.swift from runbooks/*.md, so an installed
// irctl carries the starter runbooks without the repository.
//
//   swift run generate-runbooks            rewrite the file
//   swift run generate-runbooks --check    exit 1 (and say so) when the file is stale
//
// The package root is found from this file's path, so it runs from any directory.

let arguments = Array(CommandLine.arguments.dropFirst())
let check = arguments == ["--check"]
guard arguments.isEmpty || check else {
    FileHandle.standardError.write(Data("usage: generate-runbooks [--check]\n".utf8))
    exit(2)
}
let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let generated = root.appendingPathComponent(RunbookSource.generatedPath)
do {
    let expected = RunbookSource.render(try RunbookSource.read(root: root))
    let committed = (try? String(contentsOf: generated, encoding: .utf8)) ?? ""
    if committed == expected {
        exit(0)
    } else if check {
        FileHandle.standardError.write(
            Data(
                ("\(RunbookSource.generatedPath) is stale: run 'swift run generate-runbooks' "
                    + "and commit it\n").utf8))
        exit(1)
    }
    try expected.write(to: generated, atomically: true, encoding: .utf8)
    print("wrote \(RunbookSource.generatedPath)")
} catch {
    FileHandle.standardError.write(Data("generate-runbooks: \(error)\n".utf8))
    exit(1)
}
