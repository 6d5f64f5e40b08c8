using System.Text.Json;

namespace ExampleService.Build.Quality;

/// <summary>Everything the <c>dotnet-sonarscanner begin</c> step needs except the token, which travels as <c>SONAR_TOKEN</c>.</summary>
public sealed record SonarSettings(
    string HostUrl,
    string ProjectKey,
    string? Organization,
    string Version,
    string OpenCoverReports,
    string TestReports)
{
    public string? Branch { get; init; }

    public string? PullRequestKey { get; init; }

    public string? PullRequestBranch { get; init; }

    public string? PullRequestBase { get; init; }

    /// <summary>The reason analysis is skipped, or null when host and token are both configured.</summary>
    public static string? SkipReason(string? hostUrl, string? token)
        => (string.IsNullOrWhiteSpace(hostUrl), string.IsNullOrWhiteSpace(token)) switch
        {
            (true, true) => "no SonarQube server configured (set --sonar-host-url and --sonar-token, or SONAR_HOST_URL and SONAR_TOKEN)",
            (true, false) => "no SonarQube server configured (set --sonar-host-url or SONAR_HOST_URL)",
            (false, true) => "no SonarQube token configured (set --sonar-token or SONAR_TOKEN)",
            _ => null,
        };

    /// <summary>
    /// The environment that hands the token to both scanner steps without a command line (where <c>ps</c> and
    /// verbose logs would show it): the scanner reads analysis properties from <c>SONARQUBE_SCANNER_PARAMS</c>, a
    /// JSON object, and so does the Java scanner its <c>end</c> step starts. Properties already there are kept.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> ScannerEnvironment(string token, string? existingParameters = null)
    {
        var parameters = string.IsNullOrWhiteSpace(existingParameters) ? [] : ParseScannerParameters(existingParameters);
        parameters["sonar.token"] = token;
        return new Dictionary<string, string?> { [ScannerParametersVariable] = JsonSerializer.Serialize(parameters) };
    }

    static Dictionary<string, string> ParseScannerParameters(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException(
                $"{ScannerParametersVariable} must be a JSON object of analysis properties, e.g. {{\"sonar.verbose\":\"true\"}}: {exception.Message}", exception);
        }
    }

    public const string ScannerParametersVariable = "SONARQUBE_SCANNER_PARAMS";

    /// <summary>Arguments of <c>dotnet-sonarscanner begin</c>. Analysis of a pull request wins over branch analysis.</summary>
    public IReadOnlyList<string> BeginArguments()
    {
        var properties = new List<KeyValuePair<string, string?>>
        {
            new("sonar.host.url", HostUrl.TrimEnd('/')),
            new("sonar.cs.opencover.reportsPaths", OpenCoverReports),
            new("sonar.cs.vstest.reportsPaths", TestReports),
            new("sonar.qualitygate.wait", "true"),
        };
        if (!string.IsNullOrWhiteSpace(PullRequestKey))
        {
            properties.Add(new("sonar.pullrequest.key", PullRequestKey));
            properties.Add(new("sonar.pullrequest.branch", PullRequestBranch));
            properties.Add(new("sonar.pullrequest.base", PullRequestBase));
        }
        else
        {
            properties.Add(new("sonar.branch.name", Branch));
        }

        return
        [
            "begin",
            $"/k:{ProjectKey}",
            .. string.IsNullOrWhiteSpace(Organization) ? Array.Empty<string>() : [$"/o:{Organization}"],
            $"/v:{Version}",
            .. properties.Where(p => !string.IsNullOrWhiteSpace(p.Value)).Select(p => $"/d:{p.Key}={p.Value}"),
        ];
    }
}
