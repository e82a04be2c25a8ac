create table customers (
  id integer not null,
  name varchar(100) not null,
  country char(2),
  created_at timestamp not null,
  constraint customers_pk primary key (id)
);
create table orders (
  id integer not null,
  customer_id integer not null,
  total decimal(10,2) not null,
  status varchar(20) not null,
  ordered_on date not null,
  constraint orders_pk primary key (id),
  constraint orders_customer_fk foreign key (customer_id) references customers (id)
);
create view customer_totals as
  select c.id, c.name, sum(o.total) as total
  from customers c join orders o on o.customer_id = c.id
  group by c.id, c.name;
insert into customers (id, name, country, created_at) values
  (1, 'Acme GmbH', 'DE', '2024-01-15 09:30:00'),
  (2, 'Globex Ltd', 'GB', '2024-02-01 14:00:00'),
  (3, 'Initech SA', 'FR', '2024-03-10 08:15:00'),
  (4, 'Umbrella Srl', null, '2024-04-22 17:45:00');
insert into orders (id, customer_id, total, status, ordered_on) values
  (101, 1, 1250.00, 'paid', '2024-05-02'),
  (102, 1, 980.50, 'paid', '2024-05-17'),
  (103, 2, 310.00, 'paid', '2024-05-20'),
  (104, 2, 45.90, 'refunded', '2024-06-01'),
  (105, 3, 2200.00, 'paid', '2024-06-03'),
  (106, 3, 150.00, 'open', '2024-06-11'),
  (107, 1, 75.25, 'paid', '2024-06-12'),
  (108, 4, 640.00, 'paid', '2024-06-20'),
  (109, 2, 99.99, 'open', '2024-07-01'),
  (110, 3, 1800.00, 'paid', '2024-07-04'),
  (111, 4, 12.00, 'refunded', '2024-07-09'),
  (112, 1, 430.00, 'paid', '2024-07-15')
