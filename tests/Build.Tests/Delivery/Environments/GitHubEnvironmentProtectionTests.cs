using System.Net;
using ExampleService.Build.Delivery.Environments;

namespace Build.Tests.Delivery.Environments;

/// <summary>
/// On GitHub an environment nobody protected runs its jobs unapproved: the build reads the environment from the REST
/// API (answered here by a stand-in for api.github.com) and fails closed unless it requires reviewers.
/// </summary>
public sealed class GitHubEnvironmentProtectionTests
{
    private static readonly Uri Api = new("https://api.github.test/");

    [Fact]
    public async Task An_environment_with_required_reviewers_passes_naming_them()
    {
        var api = new StandInApi(HttpStatusCode.OK, """
            { "name": "prod", "protection_rules": [
                { "type": "branch_policy" },
                { "type": "required_reviewers", "reviewers": [ { "type": "User", "reviewer": { "login": "octocat" } }, { "type": "Team", "reviewer": { "slug": "release-managers" } } ] } ] }
            """);

        var confirmed = await Check(api);

        Assert.Equal("GitHub environment 'prod' requires a review by octocat, release-managers", confirmed);
        Assert.Equal("https://api.github.test/repos/acme/example-service/environments/prod", api.Requested!.RequestUri!.ToString());
        Assert.Equal("Bearer token-value", api.Requested.Headers.Authorization!.ToString());
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, """{ "name": "prod", "protection_rules": [] }""", "GitHub environment 'prod' has no required reviewers, so this job ran without an approval. In the repository's Settings → Environments → prod, add Required reviewers")]
    [InlineData(HttpStatusCode.OK, """{ "name": "prod", "protection_rules": [ { "type": "wait_timer", "wait_timer": 5 } ] }""", "has no required reviewers")]
    [InlineData(HttpStatusCode.NotFound, """{ "message": "Not Found" }""", "GitHub environment 'prod' does not exist in acme/example-service, so nobody approved this job.")]
    [InlineData(HttpStatusCode.Forbidden, """{ "message": "Resource not accessible by integration" }""", "the job's token needs actions: read. Refusing to act on a protected environment unreviewed.")]
    public async Task Anything_but_required_reviewers_fails_closed_saying_what_to_configure(HttpStatusCode status, string body, string expected)
        => Assert.Contains(expected, (await Assert.ThrowsAsync<InvalidOperationException>(() => Check(new StandInApi(status, body)))).Message, StringComparison.Ordinal);

    [Fact]
    public async Task Without_a_token_nothing_is_asked_and_the_job_fails_closed()
    {
        var api = new StandInApi(HttpStatusCode.OK, "{}");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => new GitHubEnvironmentProtection(new HttpClient(api)).RequireReviewersAsync(Api, "acme/example-service", null, "prod", CancellationToken.None));

        Assert.Contains("the job has no GITHUB_REPOSITORY or GITHUB_TOKEN", refused.Message, StringComparison.Ordinal);
        Assert.Null(api.Requested);
    }

    private static Task<string> Check(StandInApi api)
        => new GitHubEnvironmentProtection(new HttpClient(api)).RequireReviewersAsync(Api, "acme/example-service", "token-value", "prod", CancellationToken.None);

    private sealed class StandInApi(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public HttpRequestMessage? Requested { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requested = request;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body) });
        }
    }
}
