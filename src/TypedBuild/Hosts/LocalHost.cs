namespace TypedBuild.Hosts;

/// <summary>A developer's machine: branch, commit and author come from git, the actor is the logged-in user.</summary>
public sealed class LocalHost(IReadOnlyDictionary<string, string?> environment, AbsolutePath root, TextWriter output)
    : CiHost(environment, root, output)
{
    public override CiHostKind Kind => CiHostKind.Local;

    public override string DisplayName => IsServerBuild ? "CI (CI=true)" : "local";

    /// <summary>A CI system the build has no integration for still announces itself with the conventional <c>CI=true</c>.</summary>
    public override bool IsServerBuild => string.Equals(Variable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public override string? Actor => Variable("USER") ?? Variable("USERNAME") ?? Environment.UserName;
}
