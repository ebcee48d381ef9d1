/// The expected state-dict keys and shapes of CoSupNet for a width (for tools and tests).
public enum CoSupArchitectureListing {
    public static func keys(width: Int) -> [(name: String, shape: [Int])] {
        CoSupArchitecture(width: width).keys.map { ($0.name, $0.shape) }
    }
}
