/// The font charts are set in.
public enum ChartFont {
    /// DejaVu Sans where Debian's and Ubuntu's `fonts-dejavu-core` installs it. On other systems pass
    /// the path of any TrueType font to `render(width:height:fontPath:)`.
    public static let defaultPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
}
