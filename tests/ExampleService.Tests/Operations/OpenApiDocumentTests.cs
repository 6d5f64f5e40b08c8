using System.Text.Json;
using System.Text.Json.Nodes;
using ExampleService.Tests.Infrastructure;

namespace ExampleService.Tests.Operations;

/// <summary>The committed OpenAPI document (docs/openapi/v1.json) must be the one the service serves.</summary>
public sealed class OpenApiDocumentTests(ServiceSlot slot) : ServiceTests(slot, SqliteDatabases.Instance)
{
    private const string CommittedPath = "docs/openapi/v1.json";
    private const string UpdateVariable = "UPDATE_OPENAPI";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task The_committed_document_matches_the_served_one()
    {
        var served = Normalize(await Client.GetStringAsync("/openapi/v1.json"));
        var path = Path.Combine(RepositoryRoot(), CommittedPath);

        if (string.Equals(Environment.GetEnvironmentVariable(UpdateVariable), "true", StringComparison.OrdinalIgnoreCase))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, served);
        }

        var committed = File.Exists(path) ? Normalize(await File.ReadAllTextAsync(path)) : "(missing)";
        Assert.True(committed == served,
            $"{CommittedPath} differs from the document the service serves: the API changed without it. Regenerate it with "
            + $"`{UpdateVariable}=true dotnet test tests/ExampleService.Tests --filter {nameof(OpenApiDocumentTests)}`, review the diff and commit it.");
    }

    [Fact]
    public async Task Each_users_operation_names_both_credentials_and_its_scope_so_the_ui_can_authorize()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;

        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal("JWT", schemes.GetProperty("Bearer").GetProperty("bearerFormat").GetString());
        Assert.Equal("header", schemes.GetProperty("ApiKey").GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        var operations = root.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/api/v1/users", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject())
            .ToList();
        Assert.Equal(6, operations.Count);
        foreach (var operation in operations)
        {
            var scope = operation.Name == "get" ? TestCredentials.ReadScope : TestCredentials.WriteScope;
            var requirements = operation.Value.GetProperty("security").EnumerateArray()
                .SelectMany(requirement => requirement.EnumerateObject())
                .Select(scheme => $"{scheme.Name}:{string.Join(' ', scheme.Value.EnumerateArray().Select(s => s.GetString()))}")
                .ToList();
            Assert.Equal([$"Bearer:{scope}", $"ApiKey:{scope}"], requirements);
        }

        var ping = root.GetProperty("paths").GetProperty("/api/v1/ping").GetProperty("get");
        Assert.False(ping.TryGetProperty("security", out _));
    }

    private static string Normalize(string json) => JsonNode.Parse(json)!.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ExampleService.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ExampleService.sln above {AppContext.BaseDirectory}.");
    }
}
