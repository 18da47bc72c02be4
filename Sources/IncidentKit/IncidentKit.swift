/// IncidentKit: the model, lifecycle rules, storage, rendering and metrics behind `irctl`.
/// It never prints and never exits; the `irctl` executable is a thin layer over it.
public enum IncidentKit {
    public static let version = "0.1.0"
}
