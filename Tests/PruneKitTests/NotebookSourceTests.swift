import Testing
@testable import PruneKitNotebook

/// The source parser: prose (`//:` lines, `/*: */` blocks), cells, line attribution.
struct NotebookSourceTests {
    static let text = """
        /*:
         # Title

           indented stays relative
         */
        import PruneKitNotebook
        let epochs = parameter("epochs", default: 30, quick: 1)

        //: ## First
        //:Second line, no space
        cell("Load \\"data\\"")
        let a = 1
        // an ordinary comment stays code
        print(a)

        /*: One-line block */
        cell("Show")
        let s = \"\"\"
            //: not prose inside a string
            cell("not a marker")
            \"\"\"
        //: trailing prose
        """

    @Test func prose() {
        let source = NotebookSource(text: Self.text)
        let prose = source.segments.compactMap { if case .prose(let text, let line) = $0 { return (text, line) } else { return nil } }
        #expect(prose.map(\.0) == ["# Title\n\n  indented stays relative", "## First\nSecond line, no space", "One-line block", "trailing prose"])
        #expect(prose.map(\.1) == [1, 9, 16, 22])
    }

    @Test func cellsAndCode() {
        let source = NotebookSource(text: Self.text)
        // Cell 0 is the setup code; markers are lines 11 and 17; titles are unescaped.
        #expect(source.cells == [.init(title: "setup", line: 0), .init(title: "Load \"data\"", line: 11), .init(title: "Show", line: 17)])
        let code = source.segments.compactMap { if case .code(let text, let lines, let cell) = $0 { return (text, lines, cell) } else { return nil } }
        #expect(code.count == 3)
        #expect(code[0].0 == "import PruneKitNotebook\nlet epochs = parameter(\"epochs\", default: 30, quick: 1)")
        #expect(code[0].1 == 6 ... 7 && code[0].2 == 0)
        // Blank lines at the ends are trimmed; `//` comments stay; the marker line is not shown.
        #expect(code[1].0 == "let a = 1\n// an ordinary comment stays code\nprint(a)")
        #expect(code[1].1 == 12 ... 14 && code[1].2 == 1)
        // Inside a multi-line string, `//:` and `cell(` are code.
        #expect(code[2].0.contains("//: not prose inside a string") && code[2].0.contains("cell(\"not a marker\")"))
        #expect(code[2].2 == 2)
    }

    @Test func segmentOrder() {
        let kinds = NotebookSource(text: Self.text).segments.map { segment -> String in
            switch segment {
            case .prose: return "p"
            case .code(_, _, let cell): return "c\(cell)"
            case .marker(let cell): return "m\(cell)"
            }
        }
        #expect(kinds == ["p", "c0", "p", "m1", "c1", "p", "m2", "c2", "p"])
    }

    @Test func lineAttribution() {
        let source = NotebookSource(text: Self.text)
        #expect(source.cellIndex(markerLine: 11) == 1)
        #expect(source.cellIndex(markerLine: 17) == 2)
        // A line between markers (a cell() call the parser did not see) goes to the marker before it.
        #expect(source.cellIndex(markerLine: 14) == 1)
        #expect(source.cellIndex(markerLine: 3) == 0)
    }

    @Test func unterminatedBlockAndCRLF() {
        let source = NotebookSource(text: "//: a\r\ncell(\"x\")\r\nprint(1)\r\n/*:\n open")
        #expect(source.segments == [.prose("a", line: 1), .marker(cell: 1), .code("print(1)", lines: 3 ... 3, cell: 1), .prose("open", line: 4)])
    }
}
