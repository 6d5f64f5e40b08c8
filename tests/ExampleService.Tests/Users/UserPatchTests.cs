using System.Net;
using System.Net.Http.Headers;
using ExampleService.Tests.Infrastructure;
using static ExampleService.Tests.Infrastructure.UsersApi;

namespace ExampleService.Tests.Users;

/// <summary>PATCH with JSON Merge Patch (RFC 7396) and its error answers.</summary>
public abstract class UserPatchTests(ServiceSlot slot, ITestDatabases databases) : ServiceTests(slot, databases)
{
    [Fact]
    public async Task Patch_changes_the_given_fields_removes_nulls_and_keeps_the_rest()
    {
        var (user, etag) = await Client.CreateUserAsync(NewUser(department: "Sales"));

        using var response = await Client.SendAsync(HttpMethod.Patch, $"{UsersPath}/{user.Id}",
            MergePatch("""{"displayName":"Patched","phone":null,"active":false}"""), h => h.IfMatch.Add(etag));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var patched = await ReadUserAsync(response);
        Assert.Equal("Patched", patched.DisplayName);
        Assert.Null(patched.Phone);
        Assert.False(patched.Active);
        Assert.Equal(user.Username, patched.Username);
        Assert.Equal("Sales", patched.Department);
        Assert.Equal(user.GivenName, patched.GivenName);
        Assert.NotEqual(etag, response.Headers.ETag);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData(null)]
    public async Task Patch_with_another_media_type_is_a_415_problem(string? mediaType)
    {
        var (user, _) = await Client.CreateUserAsync();
        var content = JsonBody("""{"displayName":"X"}""");
        content.Headers.ContentType = mediaType is null ? null : new MediaTypeHeaderValue(mediaType);

        using var response = await Client.PatchAsync($"{UsersPath}/{user.Id}", content);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("""{"displayName":""", "not valid JSON")]
    [InlineData("""["displayName"]""", "JSON object")]
    [InlineData("""{"active":"yes"}""", "wrong JSON type")]
    public async Task Patch_of_malformed_json_is_a_400_problem(string body, string reason)
    {
        var (user, _) = await Client.CreateUserAsync();

        using var response = await Client.PatchAsync($"{UsersPath}/{user.Id}", MergePatch(body));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_that_removes_a_required_field_is_a_400_naming_it()
    {
        var (user, _) = await Client.CreateUserAsync();

        using var response = await Client.PatchAsync($"{UsersPath}/{user.Id}", MergePatch("""{"email":null}"""));

        await AssertFieldErrorAsync(response, "email");
    }

    [Fact]
    public async Task Patch_of_an_unknown_id_is_404_and_a_stale_etag_is_412()
    {
        var (user, etag) = await Client.CreateUserAsync();
        using var first = await Client.PatchAsync($"{UsersPath}/{user.Id}", MergePatch("""{"title":"Lead"}"""));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var unknown = await Client.PatchAsync($"{UsersPath}/{Guid.NewGuid()}", MergePatch("{}"));
        using var stale = await Client.SendAsync(HttpMethod.Patch, $"{UsersPath}/{user.Id}", MergePatch("""{"title":"CTO"}"""),
            h => h.IfMatch.Add(etag));

        await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Patch_accepts_a_merge_patch_media_type_with_parameters()
    {
        var (user, _) = await Client.CreateUserAsync();
        var content = MergePatch("""{"title":"Lead"}""");
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/merge-patch+json; charset=utf-8");

        using var response = await Client.PatchAsync($"{UsersPath}/{user.Id}", content);

        Assert.Equal("Lead", (await ReadUserAsync(response)).Title);
    }
}

public sealed class UserPatchSqliteTests(ServiceSlot slot) : UserPatchTests(slot, SqliteDatabases.Instance);

[Collection(SharedPostgresCluster.Name)]
[Trait("Provider", "Postgres")]
public sealed class UserPatchPostgresTests(ServiceSlot slot, PostgresClusterFixture postgres) : UserPatchTests(slot, postgres);
