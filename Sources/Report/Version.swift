/// segeval's version, written into every report and JSON file.
public enum SegevalVersion {
    public static let string = "0.1.0"
}
