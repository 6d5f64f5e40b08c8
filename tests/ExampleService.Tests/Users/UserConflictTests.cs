using System.Net;
using System.Net.Http.Json;
using ExampleService.Tests.Infrastructure;
using static ExampleService.Tests.Infrastructure.UsersApi;

namespace ExampleService.Tests.Users;

/// <summary>Uniqueness and lost updates, decided by the database so that concurrent requests cannot slip through.</summary>
public abstract class UserConflictTests(ServiceSlot slot, ITestDatabases databases) : ServiceTests(slot, databases)
{
    [Theory]
    [InlineData("username")]
    [InlineData("email")]
    public async Task A_duplicate_in_another_case_is_a_409_naming_the_field(string field)
    {
        var (existing, _) = await Client.CreateUserAsync();
        var duplicate = field == "username"
            ? NewUser() with { Username = existing.Username.ToUpperInvariant() }
            : NewUser() with { Email = existing.Email.ToUpperInvariant() };

        using var response = await Client.PostAsJsonAsync(UsersPath, duplicate, Json);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Put_that_takes_another_users_username_is_a_409_and_changes_nothing()
    {
        var (first, _) = await Client.CreateUserAsync();
        var (second, etag) = await Client.CreateUserAsync();

        using var response = await Client.PutAsJsonAsync($"{UsersPath}/{second.Id}", NewUser() with { Username = first.Username }, Json);

        await AssertProblemAsync(response, HttpStatusCode.Conflict);
        using var read = await Client.GetAsync($"{UsersPath}/{second.Id}");
        Assert.Equal(second, await ReadUserAsync(read));
        Assert.Equal(etag, read.Headers.ETag);
    }

    [Fact]
    public async Task Concurrent_inserts_of_one_username_give_one_201_and_409s()
    {
        var request = NewUser();
        var attempts = Enumerable.Range(0, 4).Select(i => request with { Email = $"{i}.{request.Email}" });

        var responses = await Task.WhenAll(attempts.Select(r => Client.PostAsJsonAsync(UsersPath, r, Json)));

        try
        {
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
            foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            {
                var problem = await AssertProblemAsync(conflict, HttpStatusCode.Conflict);
                Assert.Equal("username", problem.GetProperty("field").GetString());
            }
        }
        finally
        {
            Array.ForEach(responses, r => r.Dispose());
        }
    }

    [Fact]
    public async Task Two_updates_with_the_same_etag_exactly_one_wins()
    {
        var (user, etag) = await Client.CreateUserAsync();
        Task<HttpResponseMessage> PatchTitle(string title) => Client.SendAsync(HttpMethod.Patch, $"{UsersPath}/{user.Id}",
            MergePatch($$"""{"title":"{{title}}"}"""), h => h.IfMatch.Add(etag));

        var responses = await Task.WhenAll(PatchTitle("first"), PatchTitle("second"));

        try
        {
            var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            await AssertProblemAsync(Assert.Single(responses, r => r != winner), HttpStatusCode.PreconditionFailed);
            using var read = await Client.GetAsync($"{UsersPath}/{user.Id}");
            Assert.Equal((await ReadUserAsync(winner)).Title, (await ReadUserAsync(read)).Title);
            Assert.Equal(winner.Headers.ETag, read.Headers.ETag);
        }
        finally
        {
            Array.ForEach(responses, r => r.Dispose());
        }
    }

    [Fact]
    public async Task Concurrent_updates_without_if_match_never_lose_a_write_silently()
    {
        var (user, _) = await Client.CreateUserAsync();
        var puts = Enumerable.Range(0, 4).Select(i => Client.PutAsJsonAsync($"{UsersPath}/{user.Id}",
            NewUser() with { Username = user.Username, Email = user.Email, Title = $"t{i}" }, Json));

        var responses = await Task.WhenAll(puts);

        try
        {
            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
            Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
            foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            {
                await AssertProblemAsync(conflict, HttpStatusCode.Conflict);
            }
        }
        finally
        {
            Array.ForEach(responses, r => r.Dispose());
        }
    }
}

public sealed class UserConflictSqliteTests(ServiceSlot slot) : UserConflictTests(slot, SqliteDatabases.Instance);

[Collection(SharedPostgresCluster.Name)]
[Trait("Provider", "Postgres")]
public sealed class UserConflictPostgresTests(ServiceSlot slot, PostgresClusterFixture postgres) : UserConflictTests(slot, postgres);
