namespace TypedBuild.Hosts;

/// <summary>
/// Common ground of the hosts: environment lookup (empty counts as unset), git as the fallback source of commit
/// facts, and do-nothing defaults for the features a host lacks.
/// </summary>
public abstract class CiHost(IReadOnlyDictionary<string, string?> environment, AbsolutePath root, TextWriter output) : ICiHost
{
    protected TextWriter Output { get; } = output;

    protected GitInfo Git { get; } = new(root);

    public abstract CiHostKind Kind { get; }

    public abstract string DisplayName { get; }

    public virtual bool IsServerBuild => Kind != CiHostKind.Local;

    public virtual string? Repository => Git.Repository;

    public virtual string? Branch => Git.Branch;

    public virtual string? Tag => Git.Tag;

    public virtual string? Commit => Git.Commit;

    public virtual string? CommitSubject => Git.Subject;

    public virtual string? CommitAuthor => Git.Author;

    public virtual string? PullRequestNumber => null;

    public virtual bool IsPullRequest => PullRequestNumber is { Length: > 0 };

    public virtual string? BuildNumber => null;

    public virtual string? RunUrl => null;

    public virtual string? Actor => null;

    /// <summary>A header line; hosts with collapsible sections override this.</summary>
    public virtual void BeginGroup(string name)
    {
        Output.WriteLine();
        Output.WriteLine($"━━━ {name} {new string('━', Math.Max(3, 72 - name.Length))}");
    }

    public virtual void EndGroup(string name)
    {
    }

    public virtual void Annotate(AnnotationLevel level, string message, string? file = null, int? line = null)
    {
    }

    public virtual void RegisterSecret(string value)
    {
    }

    public virtual void AppendJobSummary(string markdown)
    {
    }

    public override string ToString() => DisplayName;

    /// <summary>The variable's value, or null when it is unset or empty.</summary>
    protected string? Variable(string name)
        => environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
