#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The font charts are set in: any TrueType (or OpenType/TrueType collection) file FreeType reads,
/// given as `fontPath:` to `render(width:height:fontPath:)`, as `report --font PATH`, or to the
/// notebooks' `show(_:name:alt:width:height:fontPath:)`.
public enum ChartFont {
    /// Where ``defaultPath`` looks, in order: DejaVu Sans where Debian/Ubuntu (`fonts-dejavu-core`),
    /// Fedora and Arch install it, and on macOS DejaVu Sans if installed, then the system's Arial
    /// and Helvetica.
    public static var searchPaths: [String] {
        #if os(macOS)
        ["/Library/Fonts/DejaVuSans.ttf", "/opt/homebrew/share/fonts/dejavu/DejaVuSans.ttf",
         "/System/Library/Fonts/Supplemental/Arial.ttf", "/Library/Fonts/Arial.ttf", "/System/Library/Fonts/Helvetica.ttc"]
        #else
        ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
         "/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf"]
        #endif
    }

    /// The first of ``searchPaths`` that is a readable file, or the first of them when none is, so
    /// that the error names where the font was expected.
    public static var defaultPath: String {
        searchPaths.first { access($0, R_OK) == 0 } ?? searchPaths[0]
    }

    /// Checks that the font at `path` loads, so a run can refuse a bad `--font` before any long work.
    ///
    /// - Throws: ``ChartError/fontNotFound(path:)`` or ``ChartError/fontUnreadable(path:detail:)``.
    public static func check(path: String) throws(ChartError) {
        _ = try FontFace(path: path)
    }
}
