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
