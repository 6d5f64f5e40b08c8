namespace TypedBuild;

/// <summary>A normalized absolute path; <c>root / "artifacts" / "tests"</c> combines segments.</summary>
public sealed record AbsolutePath
{
    private AbsolutePath(string value) => Value = value;

    public string Value { get; }

    public string Name => System.IO.Path.GetFileName(Value);

    public AbsolutePath Parent => new(System.IO.Path.GetDirectoryName(Value) ?? Value);

    public bool Exists => File.Exists(Value) || Directory.Exists(Value);

    public static AbsolutePath Create(string path, string? relativeTo = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.IsPathRooted(path)
            ? System.IO.Path.GetFullPath(path)
            : System.IO.Path.GetFullPath(path, relativeTo ?? Directory.GetCurrentDirectory());
        return new AbsolutePath(full.Length > 1 ? full.TrimEnd(System.IO.Path.DirectorySeparatorChar) : full);
    }

    public static AbsolutePath operator /(AbsolutePath left, string right) => Create(right, left.Value);

    public static implicit operator string(AbsolutePath path) => path.Value;

    public string RelativeTo(AbsolutePath basePath) => System.IO.Path.GetRelativePath(basePath.Value, Value);

    public override string ToString() => Value;
}
