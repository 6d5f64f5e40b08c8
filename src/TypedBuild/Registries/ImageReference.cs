namespace TypedBuild.Registries;

/// <summary>Splits image names the way Docker does: the first path part is a registry when it has a '.', a ':' or is localhost.</summary>
public static class ImageReference
{
    /// <summary><c>localhost:5000/example-service</c> → <c>localhost:5000</c>; <c>library/nginx</c> → <c>docker.io</c>.</summary>
    public static string RegistryOf(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return "docker.io";
        }

        var first = repository[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" ? first : "docker.io";
    }

    /// <summary>The repository path inside the registry: <c>localhost:5000/team/app</c> → <c>team/app</c>.</summary>
    public static string PathOf(string repository)
    {
        var registry = RegistryOf(repository);
        return registry == "docker.io" && !repository.StartsWith("docker.io/", StringComparison.Ordinal)
            ? repository
            : repository[(registry.Length + 1)..];
    }

    /// <summary>Joins a registry and a repository path, e.g. <c>localhost:5000</c> + <c>example-service</c>.</summary>
    public static string Repository(string registry, string path)
    {
        var host = registry.Trim().TrimEnd('/');
        if (host.Length == 0 || host.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Registry '{registry}' must be a host[:port] like localhost:5000 or ghcr.io/owner, without a scheme.", nameof(registry));
        }

        var repository = path.Trim().Trim('/');
        if (repository.Length == 0 || repository.Any(char.IsUpper))
        {
            throw new ArgumentException($"Image repository '{path}' must be non-empty and lower-case.", nameof(path));
        }

        return $"{host}/{repository}";
    }
}
