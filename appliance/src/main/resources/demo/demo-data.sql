-- Sample business data for the embedded default's "demo" database: a small B2B company with customers,
-- orders, invoices and support tickets over the last 18 months. Deterministic (fixed seed) so answers are
-- reproducible; dates are relative to the day the database is created.
select setseed(0.42);

create table customers (
    id              serial primary key,
    name            text not null,
    industry        text not null,
    country         text not null,
    segment         text not null check (segment in ('SMB', 'Mid-Market', 'Enterprise')),
    account_manager text not null,
    created_on      date not null
);

create table products (
    id          serial primary key,
    name        text not null,
    category    text not null,
    unit_price  numeric(10, 2) not null
);

create table orders (
    id          serial primary key,
    customer_id integer not null references customers (id),
    ordered_on  date not null,
    status      text not null check (status in ('placed', 'shipped', 'delivered', 'cancelled'))
);

create table order_lines (
    order_id    integer not null references orders (id),
    product_id  integer not null references products (id),
    quantity    integer not null,
    unit_price  numeric(10, 2) not null,
    primary key (order_id, product_id)
);

create table invoices (
    id          serial primary key,
    order_id    integer not null references orders (id),
    customer_id integer not null references customers (id),
    issued_on   date not null,
    due_on      date not null,
    amount      numeric(12, 2) not null,
    paid_on     date,
    status      text not null check (status in ('open', 'paid', 'overdue', 'void'))
);

create table support_tickets (
    id          serial primary key,
    customer_id integer not null references customers (id),
    opened_at   timestamp not null,
    closed_at   timestamp,
    priority    text not null check (priority in ('low', 'normal', 'high', 'urgent')),
    category    text not null,
    subject     text not null,
    status      text not null check (status in ('open', 'pending', 'solved'))
);

insert into customers (name, industry, country, segment, account_manager, created_on)
select (array['Northwind','Bluebird','Summit','Cedar','Harbor','Granite','Silverline','Redwood','Atlas','Beacon',
              'Evergreen','Pioneer','Riverside','Keystone','Lighthouse','Meridian','Oakridge','Polaris','Quartz','Sterling'])[1 + (g % 20)]
       || ' ' ||
       (array['Logistics','Foods','Health','Energy','Robotics','Textiles','Pharma','Retail','Capital','Systems',
              'Analytics','Motors','Labs','Outdoors','Media'])[1 + ((g / 20) % 15)]
       || case when g > 300 then ' ' || (array['GmbH','Ltd','Inc','SA','BV'])[1 + (g % 5)] else '' end,
       (array['Logistics','Food & Beverage','Healthcare','Energy','Manufacturing','Retail','Financial Services','Software'])[1 + floor(random() * 8)::int],
       (array['Germany','France','United Kingdom','Netherlands','Spain','Italy','Sweden','Poland','United States','Canada'])[1 + floor(random() * 10)::int],
       (array['SMB','SMB','SMB','Mid-Market','Mid-Market','Enterprise'])[1 + floor(random() * 6)::int],
       (array['Anna Keller','Tom Baker','Sofia Rossi','Lukas Nowak','Emma Dubois','James Carter'])[1 + floor(random() * 6)::int],
       current_date - (600 + floor(random() * 900)::int)
from generate_series(1, 450) g;

insert into products (name, category, unit_price)
select p.name, p.category, p.price from (values
    ('Sensor Kit S', 'Hardware', 149.00), ('Sensor Kit Pro', 'Hardware', 389.00), ('Gateway G2', 'Hardware', 899.00),
    ('Edge Box', 'Hardware', 1490.00), ('Fleet Tracker', 'Hardware', 219.00),
    ('Analytics Seat (month)', 'Subscription', 59.00), ('Platform Basic (month)', 'Subscription', 490.00),
    ('Platform Enterprise (month)', 'Subscription', 2900.00), ('Data Retention Add-on', 'Subscription', 190.00),
    ('Onboarding Package', 'Services', 2500.00), ('Custom Integration (day)', 'Services', 1200.00),
    ('Training Workshop', 'Services', 1800.00), ('Premium Support (year)', 'Services', 6000.00),
    ('Replacement Battery', 'Parts', 24.00), ('Mounting Kit', 'Parts', 39.00)
) as p(name, category, price);

insert into orders (customer_id, ordered_on, status)
select 1 + floor(power(random(), 1.7) * 450)::int,
       current_date - floor(random() * 540)::int,
       (array['delivered','delivered','delivered','delivered','shipped','placed','cancelled'])[1 + floor(random() * 7)::int]
from generate_series(1, 3200);

insert into order_lines (order_id, product_id, quantity, unit_price)
select distinct on (o.id, p.product_id) o.id, p.product_id, 1 + floor(random() * 12)::int, pr.unit_price
from orders o
cross join lateral (select 1 + floor(random() * 15)::int as product_id from generate_series(1, 1 + (o.id % 3))) p
join products pr on pr.id = p.product_id;

insert into invoices (order_id, customer_id, issued_on, due_on, amount, paid_on, status)
select o.id, o.customer_id, o.ordered_on + 2, o.ordered_on + 32,
       (select sum(quantity * unit_price) from order_lines l where l.order_id = o.id),
       null, 'open'
from orders o where o.status <> 'cancelled';

update invoices set paid_on = issued_on + floor(random() * 45)::int where random() < 0.82 and issued_on < current_date - 10;
update invoices set paid_on = null where paid_on > current_date;
update invoices set status = case when paid_on is not null then 'paid' when due_on < current_date then 'overdue' else 'open' end;

insert into support_tickets (customer_id, opened_at, closed_at, priority, category, subject, status)
select c, opened, case when st = 'solved' then opened + (1 + floor(random() * 96)::int) * interval '1 hour' end,
       (array['low','normal','normal','normal','high','urgent'])[1 + floor(random() * 6)::int],
       cat,
       (case cat
            when 'Billing' then (array['Invoice amount looks wrong','Need a copy of invoice','Payment not registered','Change billing address'])[1 + floor(random() * 4)::int]
            when 'Hardware' then (array['Sensor offline','Gateway keeps rebooting','Battery drains fast','Device not pairing'])[1 + floor(random() * 4)::int]
            when 'Platform' then (array['Dashboard slow to load','Export to CSV fails','Alert not triggered','Cannot add user'])[1 + floor(random() * 4)::int]
            else (array['Question about contract','Request for training','Feature request','Renewal question'])[1 + floor(random() * 4)::int]
        end),
       st
from (select 1 + floor(random() * 450)::int as c,
             now() - floor(random() * 540)::int * interval '1 day' - floor(random() * 24)::int * interval '1 hour' as opened,
             (array['Billing','Hardware','Platform','Account'])[1 + floor(random() * 4)::int] as cat,
             (array['solved','solved','solved','solved','pending','open'])[1 + floor(random() * 6)::int] as st
      from generate_series(1, 1400)) t;

create index orders_customer on orders (customer_id);
create index invoices_customer on invoices (customer_id);
create index tickets_customer on support_tickets (customer_id);
analyze;
