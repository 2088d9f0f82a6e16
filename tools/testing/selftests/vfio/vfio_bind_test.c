// SPDX-License-Identifier: GPL-2.0-only
/*
 * Binding devices to vfio-pci and unbinding them: by ID through new_id,
 * refusal of devices that are not type-0 (a PCI bridge), the life of the
 * /dev/vfio/<N> node with its last device, and an unbind that has to wait
 * for userspace: it asks through the REQ eventfd and completes only once
 * the device file is closed.
 *
 * Every test works on VFIO_EDU1 (alone in its group) or VFIO_BRIDGE, and
 * puts VFIO_EDU1 back on vfio-pci with driver_override set, as the VM
 * harness left it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vfio_util.h"

#define VFIO_PCI_DRIVER	"/sys/bus/pci/drivers/vfio-pci"

static int pci_unbind(const char *bdf)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind",
		 bdf);
	return vfio_write_file(path, bdf);
}

static bool group_node_exists(int group_id)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/vfio/%d", group_id);
	return stat(path, &st) == 0;
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	       (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Puts VFIO_EDU1 back as the harness left it. */
static void restore_edu1(const char *bdf)
{
	char drv[64] = "";

	vfio_write_file(VFIO_PCI_DRIVER "/remove_id", "1234 11e8");
	pci_driver_name(bdf, drv, sizeof(drv));
	if (strcmp(drv, "vfio-pci") || pci_set_driver_override(bdf, "vfio-pci"))
		pci_rebind(bdf, "vfio-pci");
}

/*
 * Waits up to timeout_ms for child to exit: its pid, with its status in
 * *status, or 0 while it still runs.
 */
static pid_t wait_child(pid_t child, int *status, long timeout_ms)
{
	struct timespec start;
	pid_t ret;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((ret = waitpid(child, status, WNOHANG)) == 0 &&
	       elapsed_ms(&start) < timeout_ms)
		usleep(10 * 1000);
	return ret;
}

/*
 * Whether a process sleeps in write(2): /proc/<pid>/syscall gives the
 * number of the system call a task is blocked in, "running" while it is
 * runnable, and -1 while it sleeps outside any.
 */
static bool asleep_in_write(pid_t pid)
{
	char path[64], buf[128], *end;
	ssize_t n;
	long nr;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	nr = strtol(buf, &end, 10);
	return end != buf && nr == SYS_write;
}

/*
 * Waits up to timeout_ms until child sleeps in write(2): false if it
 * exited (it is reaped, with its status in *status) or never did.
 */
static bool wait_asleep_in_write(pid_t child, int *status, long timeout_ms)
{
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!asleep_in_write(child)) {
		if (waitpid(child, status, WNOHANG) != 0 ||
		    elapsed_ms(&start) >= timeout_ms)
			return false;
		usleep(1000);
	}
	return true;
}

/*
 * The device that unbind_waits_for_device_file opens, its REQ eventfd and
 * the child that unbinds it are the fixture's: the teardown lets go of
 * the device first, so that a blocked unbind completes before VFIO_EDU1
 * is bound again, whatever assertion failed.
 */
FIXTURE(bind) {
	const char *edu1;
	int group_id;
	struct vfio_dev d;
	int req;
	pid_t child;
};

FIXTURE_SETUP(bind)
{
	char drv[64];

	vfio_dev_init(&self->d, NULL);
	self->req = -1;
	self->child = -1;
	self->edu1 = vfio_test_env("VFIO_EDU1");
	if (!self->edu1)
		SKIP(return, "VFIO_EDU1 not set (not in the test VM)");
	ASSERT_EQ(0, pci_driver_name(self->edu1, drv, sizeof(drv)));
	ASSERT_STREQ("vfio-pci", drv);
	self->group_id = vfio_group_id(self->edu1);
	ASSERT_LT(0, self->group_id);
	ASSERT_TRUE(group_node_exists(self->group_id));
}

FIXTURE_TEARDOWN(bind)
{
	char drv[64] = "";
	int status;

	vfio_dev_close(&self->d);
	if (self->req >= 0)
		close(self->req);
	if (self->child > 0 && !wait_child(self->child, &status, 10000)) {
		kill(self->child, SIGKILL);
		waitpid(self->child, &status, 0);
	}
	if (!self->edu1)
		return;
	restore_edu1(self->edu1);
	EXPECT_EQ(0, pci_driver_name(self->edu1, drv, sizeof(drv)));
	EXPECT_STREQ("vfio-pci", drv);
}

/* The group node lives as long as a device of the group is bound. */
TEST_F(bind, group_node_follows_last_device)
{
	char drv[64];

	ASSERT_EQ(0, pci_set_driver_override(self->edu1, ""));
	ASSERT_EQ(0, pci_unbind(self->edu1));
	ASSERT_EQ(0, pci_driver_name(self->edu1, drv, sizeof(drv)));
	ASSERT_STREQ("", drv);
	EXPECT_FALSE(group_node_exists(self->group_id));

	ASSERT_EQ(0, pci_rebind(self->edu1, "vfio-pci"));
	EXPECT_TRUE(group_node_exists(self->group_id));
}

/* new_id binds every unbound device of that ID; remove_id undoes it. */
TEST_F(bind, new_id)
{
	struct vfio_dev d;
	char drv[64];

	ASSERT_EQ(0, pci_set_driver_override(self->edu1, ""));
	ASSERT_EQ(0, pci_unbind(self->edu1));
	ASSERT_EQ(0, pci_driver_name(self->edu1, drv, sizeof(drv)));
	ASSERT_STREQ("", drv);

	ASSERT_EQ(0, vfio_write_file(VFIO_PCI_DRIVER "/new_id", "1234 11e8"));
	ASSERT_EQ(0, pci_driver_name(self->edu1, drv, sizeof(drv)));
	ASSERT_STREQ("vfio-pci", drv);
	ASSERT_TRUE(group_node_exists(self->group_id));

	/* And the device bound by ID is usable. */
	vfio_dev_init(&d, self->edu1);
	ASSERT_EQ(0, vfio_dev_open(&d, self->edu1, VFIO_TYPE1v2_IOMMU));
	ASSERT_EQ(0, edu_map_bar0(&d));
	EXPECT_EQ(EDU_ID_VALUE, edu_read32(&d, EDU_REG_ID));
	vfio_dev_close(&d);

	/* A second new_id of the same ID is refused. */
	EXPECT_EQ(-EEXIST, vfio_write_file(VFIO_PCI_DRIVER "/new_id", "1234 11e8"));
	EXPECT_EQ(0, vfio_write_file(VFIO_PCI_DRIVER "/remove_id", "1234 11e8"));
	EXPECT_EQ(-ENODEV,
		  vfio_write_file(VFIO_PCI_DRIVER "/remove_id", "1234 11e8"));
}

/* A group file opened before its last device left finds no group. */
TEST_F(bind, open_group_outlives_device)
{
	uint32_t flags;
	int group;

	group = vfio_open_group(self->edu1);
	ASSERT_LE(0, group);
	ASSERT_EQ(0, vfio_group_status(group, &flags));

	ASSERT_EQ(0, pci_set_driver_override(self->edu1, ""));
	ASSERT_EQ(0, pci_unbind(self->edu1));
	EXPECT_FALSE(group_node_exists(self->group_id));
	EXPECT_EQ(-ENODEV, vfio_group_status(group, &flags));
	EXPECT_EQ(-ENODEV, vfio_get_device_fd(group, self->edu1));
	close(group);

	ASSERT_EQ(0, pci_rebind(self->edu1, "vfio-pci"));
	group = vfio_open_group(self->edu1);
	ASSERT_LE(0, group);
	EXPECT_EQ(0, vfio_group_status(group, &flags));
	EXPECT_EQ(GROUP_VIABLE, flags);
	close(group);
}

/*
 * Unbinding a device whose file is open blocks; vfio-pci asks userspace to
 * let go through the REQ eventfd, and the unbind completes once the
 * device file is closed.
 */
TEST_F(bind, unbind_waits_for_device_file)
{
	struct vfio_region_info ri;
	int status;

	ASSERT_EQ(0, vfio_dev_open(&self->d, self->edu1, VFIO_TYPE1v2_IOMMU));
	self->req = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, self->req);
	ASSERT_EQ(0, vfio_irq_set_eventfd(self->d.device,
					  VFIO_PCI_REQ_IRQ_INDEX, self->req));

	ASSERT_EQ(0, pci_set_driver_override(self->edu1, ""));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child) {
		/* Our copies of the files would keep the device in use. */
		close(self->req);
		vfio_dev_close(&self->d);
		_exit(pci_unbind(self->edu1) ? 1 : 0);
	}

	/*
	 * The unbind has begun once the REQ eventfd fires; then it waits
	 * for us, asleep in the child's write to "unbind", with the group
	 * node and our device file still there.
	 */
	ASSERT_EQ(1, vfio_eventfd_wait(self->req, 5000))
		TH_LOG("no REQ eventfd within 5 s of the unbind");
	ASSERT_TRUE(wait_asleep_in_write(self->child, &status, 5000))
		TH_LOG("the unbind did not wait for the device file");
	EXPECT_EQ(0, waitpid(self->child, &status, WNOHANG));
	EXPECT_TRUE(group_node_exists(self->group_id));
	EXPECT_EQ(0, vfio_region_info(self->d.device,
				      VFIO_PCI_CONFIG_REGION_INDEX, &ri));

	vfio_dev_close(&self->d);
	close(self->req);
	self->req = -1;
	ASSERT_EQ(self->child, wait_child(self->child, &status, 10000))
		TH_LOG("unbind still blocked 10 s after close");
	self->child = -1;
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_FALSE(group_node_exists(self->group_id));
}

/* vfio-pci takes only type-0 (normal) functions: a bridge is refused. */
TEST(bridge_refused)
{
	const char *bridge = vfio_test_env("VFIO_BRIDGE");
	char drv[64];

	if (!bridge)
		SKIP(return, "VFIO_BRIDGE not set (not in the test VM)");
	ASSERT_EQ(0, pci_driver_name(bridge, drv, sizeof(drv)));
	ASSERT_STREQ("", drv);
	EXPECT_EQ(-ENXIO, pci_rebind(bridge, "vfio-pci"));
	EXPECT_EQ(0, pci_set_driver_override(bridge, ""));
	EXPECT_EQ(0, pci_driver_name(bridge, drv, sizeof(drv)));
	EXPECT_STREQ("", drv);
}

TEST_HARNESS_MAIN
