using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ExampleService.Tests.Infrastructure;
using ExampleService.Users;
using static ExampleService.Tests.Infrastructure.UsersApi;

namespace ExampleService.Tests.Users;

/// <summary>POST, GET, PUT and DELETE of one user, with their ETags and error answers.</summary>
public abstract class UserCrudTests(ServiceSlot slot, ITestDatabases databases) : ServiceTests(slot, databases)
{
    [Fact]
    public async Task Post_creates_the_user_and_answers_201_with_location_etag_and_body()
    {
        var request = NewUser(department: "Research");

        using var response = await Client.PostAsJsonAsync(UsersPath, request, Json);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var user = await ReadUserAsync(response);
        Assert.Equal($"{UsersPath}/{user.Id}", response.Headers.Location?.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.Equal(request.Username, user.Username);
        Assert.Equal(request.Email, user.Email);
        Assert.Equal("Research", user.Department);
        Assert.Equal("+41445551234", user.Phone);
        Assert.True(user.Active, "active defaults to true");
        Assert.Equal(user.CreatedAt, user.UpdatedAt);
        Assert.InRange(user.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        using var read = await Client.GetAsync(response.Headers.Location);
        Assert.Equal(user, await ReadUserAsync(read));
        Assert.Equal(response.Headers.ETag, read.Headers.ETag);
    }

    [Fact]
    public async Task Get_answers_304_when_if_none_match_holds_the_current_etag_and_200_otherwise()
    {
        var (user, etag) = await Client.CreateUserAsync();

        using var notModified = await Client.SendAsync(HttpMethod.Get, $"{UsersPath}/{user.Id}", headers: h => h.IfNoneMatch.Add(etag));
        using var stale = await Client.SendAsync(HttpMethod.Get, $"{UsersPath}/{user.Id}",
            headers: h => h.IfNoneMatch.Add(new EntityTagHeaderValue("\"0123\"")));

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(user.Id, (await ReadUserAsync(stale)).Id);
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_a_404_problem()
    {
        var id = Guid.NewGuid();

        using var response = await Client.GetAsync($"{UsersPath}/{id}");

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains(id.ToString(), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        using var response = await Client.GetAsync($"{UsersPath}/not-a-uuid");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("username", """{"username":"ab","email":"a@example.com","displayName":"A"}""", "at least 3")]
    [InlineData("username", """{"username":"has space","email":"a@example.com","displayName":"A"}""", "letters, digits")]
    [InlineData("username", """{"email":"a@example.com","displayName":"A"}""", "required")]
    [InlineData("email", """{"username":"abc","email":"not-an-address","displayName":"A"}""", "valid e-mail")]
    [InlineData("displayName", """{"username":"abc","email":"a@example.com","displayName":"  "}""", "required")]
    [InlineData("phone", """{"username":"abc","email":"a@example.com","displayName":"A","phone":"0445551234"}""", "E.164")]
    [InlineData("title", """{"username":"abc","email":"a@example.com","displayName":"A","title":""}""", "must not be empty")]
    public async Task Post_with_an_invalid_field_is_a_400_naming_the_field(string field, string body, string message)
    {
        using var response = await Client.PostAsync(UsersPath, JsonBody(body));

        var errors = await AssertFieldErrorAsync(response, field);
        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_of_an_overlong_field_is_a_400()
    {
        var request = NewUser() with { GivenName = new string('g', UserValidation.NameMaxLength + 1) };

        using var response = await Client.PostAsJsonAsync(UsersPath, request, Json);

        var errors = await AssertFieldErrorAsync(response, "givenName");
        Assert.Contains("at most 100", errors[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"username":"abc",""")]
    [InlineData("""{"username":42,"email":"a@example.com","displayName":"A"}""")]
    [InlineData("[]")]
    public async Task Post_of_malformed_json_is_a_400_problem(string body)
    {
        using var response = await Client.PostAsync(UsersPath, JsonBody(body));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Post_of_another_media_type_is_a_415_problem()
    {
        using var response = await Client.PostAsync(UsersPath, new StringContent("username=abc", System.Text.Encoding.UTF8, "text/plain"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Post_of_a_body_over_the_size_limit_is_a_413_problem_and_stores_nothing()
    {
        var request = NewUser() with { DisplayName = new string('x', 70_000) };

        using var response = await Client.PostAsync(UsersPath, JsonBody(JsonSerializer.Serialize(request, Json)));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        using var list = await Client.GetAsync($"{UsersPath}?q={request.Username}");
        Assert.Equal(0, (await list.Content.ReadFromJsonAsync<UserPage>(Json))!.TotalCount);
    }

    [Fact]
    public async Task Put_replaces_every_field_and_issues_a_new_etag()
    {
        var (user, etag) = await Client.CreateUserAsync();
        var replacement = new UserRequest("Renamed." + user.Username, "new." + user.Email, "New Name", Active: false);

        using var response = await Client.SendAsync(HttpMethod.Put, $"{UsersPath}/{user.Id}", JsonContent.Create(replacement, options: Json),
            h => h.IfMatch.Add(etag));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await ReadUserAsync(response);
        Assert.Equal(replacement.Username, updated.Username);
        Assert.Equal(replacement.Email, updated.Email);
        Assert.Null(updated.GivenName);
        Assert.Null(updated.Phone);
        Assert.False(updated.Active);
        Assert.Equal(user.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt >= user.UpdatedAt);
        Assert.NotEqual(etag, response.Headers.ETag);
    }

    [Fact]
    public async Task Put_with_a_stale_if_match_is_a_412_problem_and_changes_nothing()
    {
        var (user, etag) = await Client.CreateUserAsync();
        using var first = await Client.PutAsJsonAsync($"{UsersPath}/{user.Id}", NewUser() with { Username = user.Username, Email = user.Email }, Json);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var stale = await Client.SendAsync(HttpMethod.Put, $"{UsersPath}/{user.Id}", JsonContent.Create(NewUser(), options: Json),
            h => h.IfMatch.Add(etag));

        await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        using var read = await Client.GetAsync($"{UsersPath}/{user.Id}");
        Assert.Equal(user.Username, (await ReadUserAsync(read)).Username);
        Assert.Equal(first.Headers.ETag, read.Headers.ETag);
    }

    [Fact]
    public async Task Put_of_an_unknown_id_is_404_and_an_invalid_body_is_400()
    {
        var (user, _) = await Client.CreateUserAsync();

        using var unknown = await Client.PutAsJsonAsync($"{UsersPath}/{Guid.NewGuid()}", NewUser(), Json);
        using var invalid = await Client.PutAsJsonAsync($"{UsersPath}/{user.Id}", NewUser() with { Email = "nope" }, Json);

        await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        await AssertFieldErrorAsync(invalid, "email");
    }

    [Fact]
    public async Task If_match_star_allows_the_write()
    {
        var (user, _) = await Client.CreateUserAsync();

        using var response = await Client.SendAsync(HttpMethod.Put, $"{UsersPath}/{user.Id}",
            JsonContent.Create(NewUser(), options: Json), h => h.IfMatch.Add(EntityTagHeaderValue.Any));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Delete_answers_204_and_the_user_is_gone()
    {
        var (user, etag) = await Client.CreateUserAsync();

        using var response = await Client.SendAsync(HttpMethod.Delete, $"{UsersPath}/{user.Id}", headers: h => h.IfMatch.Add(etag));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var read = await Client.GetAsync($"{UsersPath}/{user.Id}");
        await AssertProblemAsync(read, HttpStatusCode.NotFound);
        using var again = await Client.DeleteAsync($"{UsersPath}/{user.Id}");
        await AssertProblemAsync(again, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_with_a_stale_if_match_is_a_412_and_keeps_the_user()
    {
        var (user, _) = await Client.CreateUserAsync();

        using var response = await Client.SendAsync(HttpMethod.Delete, $"{UsersPath}/{user.Id}",
            headers: h => h.IfMatch.Add(new EntityTagHeaderValue("\"00000000000000000000000000000000\"")));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed);
        using var read = await Client.GetAsync($"{UsersPath}/{user.Id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }
}

public sealed class UserCrudSqliteTests(ServiceSlot slot) : UserCrudTests(slot, SqliteDatabases.Instance);

[Collection(SharedPostgresCluster.Name)]
[Trait("Provider", "Postgres")]
public sealed class UserCrudPostgresTests(ServiceSlot slot, PostgresClusterFixture postgres) : UserCrudTests(slot, postgres);
