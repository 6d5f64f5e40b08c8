using System.Net;
using System.Net.Http.Json;
using ExampleService.Tests.Infrastructure;
using ExampleService.Users;
using static ExampleService.Tests.Infrastructure.UsersApi;

namespace ExampleService.Tests.Users;

/// <summary>GET /api/v1/users: paging with total count and Link header, filters and the whitelisted sort.</summary>
public abstract class UserListTests(ServiceSlot slot, ITestDatabases databases) : ServiceTests(slot, databases)
{
    /// <summary>UsersPath in a department of their own, so that the test sees only them.</summary>
    private async Task<(string Department, List<UserResponse> Users)> SeedAsync(params string[] displayNames)
    {
        var department = $"dept-{Guid.NewGuid():N}"[..13];
        var users = new List<UserResponse>();
        foreach (var name in displayNames)
        {
            users.Add((await Client.CreateUserAsync(NewUser(department, name, active: !name.StartsWith('~')))).User);
        }

        return (department, users);
    }

    private async Task<UserPage> ListAsync(string query)
    {
        using var response = await Client.GetAsync($"{UsersPath}?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = (await response.Content.ReadFromJsonAsync<UserPage>(Json))!;
        Assert.Equal(page.TotalCount.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-Total-Count").Single());
        return page;
    }

    [Fact]
    public async Task Pages_carry_the_total_count_and_rfc8288_links_that_keep_the_other_parameters()
    {
        var (department, _) = await SeedAsync("a", "b", "c", "d", "e");

        using var response = await Client.GetAsync($"{UsersPath}?department={department}&pageSize=2&page=2&sort=displayName");

        var page = (await response.Content.ReadFromJsonAsync<UserPage>(Json))!;
        Assert.Equal((2, 2, 5, 3), (page.Page, page.PageSize, page.TotalCount, page.TotalPages));
        Assert.Equal(["c", "d"], page.Items.Select(u => u.DisplayName));
        Assert.Equal("5", response.Headers.GetValues("X-Total-Count").Single());
        var links = response.Headers.GetValues("Link").Single().Split(", ");
        Assert.Equal(4, links.Length);
        foreach (var (rel, target) in new[] { ("first", 1), ("prev", 1), ("next", 3), ("last", 3) })
        {
            var link = Assert.Single(links, l => l.EndsWith($"rel=\"{rel}\"", StringComparison.Ordinal));
            Assert.Matches($"^<http://localhost/api/v1/users\\?.*page={target}[>&]", link);
            Assert.Contains($"department={department}", link, StringComparison.Ordinal);
            Assert.Contains("pageSize=2", link, StringComparison.Ordinal);
            Assert.Contains("sort=displayName", link, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_first_page_has_no_prev_link_and_the_last_no_next_link()
    {
        var (department, _) = await SeedAsync("a", "b");

        using var first = await Client.GetAsync($"{UsersPath}?department={department}&pageSize=1");
        using var last = await Client.GetAsync($"{UsersPath}?department={department}&pageSize=1&page=2");

        Assert.DoesNotContain("rel=\"prev\"", first.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.Contains("rel=\"next\"", first.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", last.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_by_department_ignoring_case_and_by_active()
    {
        var (department, _) = await SeedAsync("a", "~inactive", "c");

        var all = await ListAsync($"department={department.ToUpperInvariant()}");
        var active = await ListAsync($"department={department}&active=true");
        var inactive = await ListAsync($"department={department}&active=false");

        Assert.Equal(3, all.TotalCount);
        Assert.Equal(2, active.TotalCount);
        Assert.Equal("~inactive", Assert.Single(inactive.Items).DisplayName);
    }

    [Fact]
    public async Task Q_searches_username_email_and_names_ignoring_case()
    {
        var (department, users) = await SeedAsync("Grace Hopper", "Alan Turing");

        Assert.Equal(users[0].Id, Assert.Single((await ListAsync($"department={department}&q=HOPPER")).Items).Id);
        Assert.Equal(users[1].Id, Assert.Single((await ListAsync($"q={users[1].Username.ToUpperInvariant()}")).Items).Id);
        Assert.Equal(users[1].Id, Assert.Single((await ListAsync($"q={users[1].Email}")).Items).Id);
        Assert.Equal(2, (await ListAsync($"department={department}&q=family")).TotalCount);
    }

    [Fact]
    public async Task Sorts_by_whitelisted_keys_with_minus_for_descending()
    {
        var (department, _) = await SeedAsync("b", "~a", "c");

        var descending = await ListAsync($"department={department}&sort=-displayName");
        var byActiveThenName = await ListAsync($"department={department}&sort=active,+displayName");
        var byCreation = await ListAsync($"department={department}&sort=-createdAt,username");

        Assert.Equal(["~a", "c", "b"], descending.Items.Select(u => u.DisplayName));
        Assert.Equal(["~a", "b", "c"], byActiveThenName.Items.Select(u => u.DisplayName));
        Assert.Equal(3, byCreation.Items.Count);
    }

    [Fact]
    public async Task Every_sort_key_is_accepted()
    {
        var (department, _) = await SeedAsync("a");

        foreach (var key in UserSorting.Allowed)
        {
            Assert.Single((await ListAsync($"department={department}&sort=-{key}")).Items);
        }
    }

    [Theory]
    [InlineData("pageSize=101", "pageSize", "1 to 100")]
    [InlineData("pageSize=0", "pageSize", "1 to 100")]
    [InlineData("page=abc", "page", "whole number")]
    [InlineData("active=maybe", "active", "true or false")]
    [InlineData("sort=password", "sort", "unknown sort field 'password'")]
    public async Task Bad_query_parameters_are_a_400_naming_the_parameter(string query, string field, string message)
    {
        using var response = await Client.GetAsync($"{UsersPath}?{query}");

        var errors = await AssertFieldErrorAsync(response, field);
        Assert.Contains(message, errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_past_the_end_is_empty_but_keeps_the_count()
    {
        var (department, _) = await SeedAsync("a");

        var page = await ListAsync($"department={department}&page=5");

        Assert.Empty(page.Items);
        Assert.Equal(1, page.TotalCount);
    }
}

public sealed class UserListSqliteTests(ServiceSlot slot) : UserListTests(slot, SqliteDatabases.Instance);

[Collection(SharedPostgresCluster.Name)]
[Trait("Provider", "Postgres")]
public sealed class UserListPostgresTests(ServiceSlot slot, PostgresClusterFixture postgres) : UserListTests(slot, postgres);
