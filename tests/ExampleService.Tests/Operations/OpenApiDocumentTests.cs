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
